package io.github.xrefoauth.scenario;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.xrefoauth.flow.FaultyStore;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A web stack the scenarios run on: a platform application with the starter, started for
 * real on a random port.
 */
enum Stack {

	/** Spring MVC on Tomcat. */
	SERVLET(ServletPlatform.class, WebApplicationType.SERVLET),

	/** Spring WebFlux on Netty. */
	WEBFLUX(ReactivePlatform.class, WebApplicationType.REACTIVE);

	static final String CLIENT_ID = "scenario-client";

	static final String CLIENT_SECRET = "scenario-secret-that-must-never-be-logged";

	static final String CALLBACK_PATH = "/integrations/xref";

	static final String REDIRECT_URI = "http://localhost" + CALLBACK_PATH;

	/** alice and bob belong to "acme", carol to "globex"; mallory has no tenant. */
	static final Map<String, String> TENANTS = Map.of("alice", "acme", "bob", "acme", "carol", "globex");

	static final List<String> USERS = List.of("alice", "bob", "carol", "mallory");

	private final Class<?> application;

	private final WebApplicationType type;

	Stack(Class<?> application, WebApplicationType type) {
		this.application = application;
		this.type = type;
	}

	/**
	 * Starts the platform of this stack.
	 * @param loginUri where the platform sends end users to Xref
	 * @param apiUri Xref's API
	 * @return the running platform
	 */
	Platform start(String loginUri, String apiUri) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(this.application).main(this.application)
			.web(this.type)
			.run("--server.port=0", "--spring.main.banner-mode=off", "--xref.oauth.client-id=" + CLIENT_ID,
					"--xref.oauth.client-secret=" + CLIENT_SECRET, "--xref.oauth.redirect-uri=" + REDIRECT_URI,
					"--xref.oauth.login-uri=" + loginUri, "--xref.oauth.api-uri=" + apiUri,
					"--xref.oauth.success-url=/connected", "--xref.oauth.failure-url=/connect-failed",
					"--xref.oauth.max-concurrent-calls=2");
		return new Platform(context);
	}

	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * A running platform.
	 */
	static final class Platform implements AutoCloseable {

		private final ConfigurableApplicationContext context;

		private final int port;

		Platform(ConfigurableApplicationContext context) {
			this.context = context;
			this.port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		}

		int port() {
			return this.port;
		}

		FaultyStore store() {
			return this.context.getBean(FaultyStore.class);
		}

		RecordedEvents events() {
			return this.context.getBean(RecordedEvents.class);
		}

		@Override
		public void close() {
			this.context.close();
		}

	}

}
