package io.github.xrefoauth.benchmarks.store;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.Lifecycle;

/**
 * Starts and stops a store as a Spring context would, if it has a lifecycle (a change
 * feed, for instance); a store without one is left as it is.
 */
final class StoreLifecycle {

	private StoreLifecycle() {
	}

	static void start(Object store) throws Exception {
		if (store instanceof InitializingBean bean) {
			bean.afterPropertiesSet();
		}
		if (store instanceof Lifecycle lifecycle && !lifecycle.isRunning()) {
			lifecycle.start();
		}
	}

	static void stop(Object store) throws Exception {
		if (store instanceof Lifecycle lifecycle && lifecycle.isRunning()) {
			lifecycle.stop();
		}
		if (store instanceof DisposableBean bean) {
			bean.destroy();
		}
	}

}
