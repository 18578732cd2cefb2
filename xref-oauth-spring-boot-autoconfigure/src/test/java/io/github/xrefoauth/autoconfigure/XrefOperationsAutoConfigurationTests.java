package io.github.xrefoauth.autoconfigure;

import io.github.xrefoauth.actuate.XrefEndpoint;
import io.github.xrefoauth.webhook.XrefWebhookReceiver;
import io.github.xrefoauth.webhook.XrefWebhookVerification;
import io.github.xrefoauth.webhook.XrefWebhookVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook receiver and the Actuator endpoint are there only when asked for, and the
 * start-up warns about a redirect URL that Xref would refuse.
 */
@ExtendWith(OutputCaptureExtension.class)
class XrefOperationsAutoConfigurationTests {

	private static final String[] REQUIRED = { "xref.oauth.client-id=client-1", "xref.oauth.client-secret=secret-1",
			"xref.oauth.redirect-uri=https://platform.example/app/integrations/xref",
			"server.servlet.context-path=/app" };

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(XrefOAuthAutoConfiguration.class, XrefClientAutoConfiguration.class,
				XrefWebSecurityAutoConfiguration.class, XrefEndpointAutoConfiguration.class,
				SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class))
		.withPropertyValues(REQUIRED);

	@Test
	void noWebhookReceiverUntilAPathIsSet() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(XrefWebhookReceiver.class)
			.doesNotHaveBean(XrefWebhookVerifier.class));
	}

	@Test
	void aWebhookPathAddsAReceiverThatAcceptsDeliveriesAsUnverified() {
		this.contextRunner.withPropertyValues("xref.oauth.webhook.path=/hooks/xref").run((context) -> {
			assertThat(context).hasSingleBean(XrefWebhookReceiver.class);
			assertThat(context.getBean(XrefWebhookVerifier.class).verify(null))
				.isEqualTo(XrefWebhookVerification.UNVERIFIED);
		});
	}

	@Test
	void anApplicationVerifierReplacesTheDefault() {
		XrefWebhookVerifier own = (delivery) -> XrefWebhookVerification.REJECTED;
		this.contextRunner.withPropertyValues("xref.oauth.webhook.path=/hooks/xref")
			.withBean(XrefWebhookVerifier.class, () -> own)
			.run((context) -> assertThat(context.getBean(XrefWebhookVerifier.class)).isSameAs(own));
	}

	@Test
	void aWebhookPathThatIsNoPathOrTheCallbackPathFailsStartUpNamingTheProperty() {
		this.contextRunner.withPropertyValues("xref.oauth.webhook.path=hooks")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("xref.oauth.webhook.path"));
		this.contextRunner.withPropertyValues("xref.oauth.webhook.path=/integrations/xref")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("xref.oauth.webhook.path is the callback path"));
		this.contextRunner.withPropertyValues("xref.oauth.webhook.path=/hooks", "xref.oauth.webhook.max-body-size=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("xref.oauth.webhook.max-body-size"));
	}

	@Test
	void theEndpointIsThereOnlyWhenExposedAsBootsOwnAre() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(XrefEndpoint.class));
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=xref")
			.run((context) -> assertThat(context).hasSingleBean(XrefEndpoint.class));
	}

	@Test
	void theEndpointShowsTheWebhookUrlWithinTheContextPath() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=xref", "xref.oauth.webhook.path=/hooks/xref")
			.run((context) -> {
				XrefEndpoint.Registration registration = context.getBean(XrefEndpoint.class).xref().registration();
				assertThat(registration.redirectUrlHttps()).isTrue();
				assertThat(registration.webhookUrl()).isEqualTo("https://platform.example/app/hooks/xref");
			});
	}

	@Test
	void withoutActuatorThereIsNoEndpoint() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.withPropertyValues("management.endpoints.web.exposure.include=xref")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(XrefEndpoint.class));
	}

	@Test
	void aPlainHttpRedirectUrlOnAPublicHostIsAWarningNamingXrefsRule(CapturedOutput output) {
		this.contextRunner.withPropertyValues("xref.oauth.redirect-uri=http://platform.example/integrations/xref")
			.run((context) -> assertThat(context).hasNotFailed());

		assertThat(output).contains("WARN")
			.contains("xref.oauth.redirect-uri http://platform.example/integrations/xref is not HTTPS")
			.contains("Xref requires an HTTPS redirect_url");
	}

	@Test
	void httpsOrLocalhostRedirectUrlsGiveNoWarning(CapturedOutput output) {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed());
		this.contextRunner.withPropertyValues("xref.oauth.redirect-uri=http://localhost:8080/integrations/xref")
			.run((context) -> assertThat(context).hasNotFailed());
		this.contextRunner.withPropertyValues("xref.oauth.redirect-uri=http://127.0.0.1:8080/integrations/xref")
			.run((context) -> assertThat(context).hasNotFailed());

		assertThat(output).doesNotContain("is not HTTPS");
	}

}
