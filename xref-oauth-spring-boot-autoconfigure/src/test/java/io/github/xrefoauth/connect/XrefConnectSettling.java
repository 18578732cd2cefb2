package io.github.xrefoauth.connect;

import java.time.Duration;

import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Lets tests of other packages settle an application's connects in doubt when they
 * choose, not on the manager's background thread.
 */
public final class XrefConnectSettling {

	private XrefConnectSettling() {
	}

	/**
	 * Settles the connects in doubt now, on the calling thread.
	 * @param manager the manager
	 * @return how many were settled
	 */
	public static int settleNow(XrefConnectManager manager) {
		return manager.settleNow();
	}

	/**
	 * Returns a post-processor that keeps the background of every
	 * {@link XrefConnectManager} from settling within a test.
	 * @return the post-processor
	 */
	public static BeanPostProcessor settledByTheTestOnly() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof XrefConnectManager manager) {
					manager.setSettleInterval(Duration.ofDays(1));
				}
				return bean;
			}

		};
	}

}
