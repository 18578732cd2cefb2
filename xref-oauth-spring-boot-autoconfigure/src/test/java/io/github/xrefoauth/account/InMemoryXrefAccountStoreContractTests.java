package io.github.xrefoauth.account;

class InMemoryXrefAccountStoreContractTests extends XrefAccountStoreContractTests {

	@Override
	protected XrefAccountStore createStore() {
		return new InMemoryXrefAccountStore();
	}

}
