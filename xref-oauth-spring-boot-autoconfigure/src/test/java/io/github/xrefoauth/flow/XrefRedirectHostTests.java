package io.github.xrefoauth.flow;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.test.XrefSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a real Tomcat, with a raw HTTP client that sends {@code Host: evil.example}: the
 * redirects of the connect flow never point at the host the request named, and a callback
 * whose parameters Tomcat cannot decode is an {@code invalid_request}.
 */
@SpringBootTest(classes = { FlowTestApplication.class, XrefRedirectHostTests.Users.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "xref.oauth.failure-url=/connect-failed", "xref.oauth.success-url=/connected" })
@ExtendWith(OutputCaptureExtension.class)
class XrefRedirectHostTests {

	static final XrefSimulator xref = XrefFlowSupport.XREF;

	static final String EVIL_HOST = "evil.example";

	@LocalServerPort
	int port;

	@Autowired
	XrefAccountStore store;

	@DynamicPropertySource
	static void xrefProperties(DynamicPropertyRegistry registry) {
		XrefFlowSupport.register(registry);
	}

	@BeforeEach
	void clearRequests() {
		xref.clearRequests();
	}

	@AfterEach
	void forgetConnection() {
		this.store.deleteAccount("acct-globex");
	}

	@Test
	void failureRedirectTakesNoHostFromTheRequest() throws IOException {
		Response response = send("GET", "/integrations/xref?state=forged&code=abc", "carol");

		assertThat(response.status()).isEqualTo(302);
		assertThat(response.header("Location")).isEqualTo("/connect-failed?xref_error=invalid_state");
	}

	@Test
	void successRedirectTakesNoHostFromTheRequest() throws IOException {
		Response start = send("GET", "/oauth2/authorization/xref", "carol");
		assertThat(start.status()).isEqualTo(302);
		assertThat(start.header("Location")).startsWith(xref.baseUrl() + "/oauth/open-api/");
		String session = start.header("Set-Cookie").split(";", 2)[0];

		URI callback = URI.create(xref.approve(start.header("Location"), "acct-globex"));
		Response response = send("GET", callback.getRawPath() + "?" + callback.getRawQuery(), "carol",
				"Cookie: " + session);

		assertThat(response.status()).isEqualTo(302);
		assertThat(response.header("Location")).isEqualTo("/connected");
		assertThat(this.store.findByTenant("globex")).isPresent();
	}

	@Test
	void startFailureRedirectTakesNoHostFromTheRequest() throws IOException {
		Response response = send("GET", "/oauth2/authorization/xref", "mallory");

		assertThat(response.status()).isEqualTo(302);
		assertThat(response.header("Location")).isEqualTo("/connect-failed?xref_error=no_tenant");
		assertThat(response.header("Set-Cookie")).isNull();
	}

	@Test
	void callbackWithInvalidPercentEncodingIsAnInvalidRequestWithoutWarning(CapturedOutput output) throws IOException {
		String target = "/integrations/xref?state=%zz&code=%E0%A4%A";
		Response get = send("GET", target, "carol");
		Response head = send("HEAD", target, "carol");
		Response options = send("OPTIONS", target, "carol");

		for (Response response : List.of(get, head, options)) {
			assertThat(response.status()).isEqualTo(302);
			assertThat(response.header("Location")).isEqualTo("/connect-failed?xref_error=invalid_request");
		}
		assertThat(output).doesNotContain("store_failed").doesNotContain("WARN");
		assertThat(xref.requests("/oauth/tokens")).isEmpty();
	}

	/** Sends one request over a new connection, signed in with HTTP Basic. */
	private Response send(String method, String target, String username, String... headers) throws IOException {
		StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
		request.append("Host: ").append(EVIL_HOST).append("\r\n");
		request.append("Authorization: Basic ")
			.append(Base64.getEncoder().encodeToString((username + ":pw").getBytes(StandardCharsets.UTF_8)))
			.append("\r\n");
		for (String header : headers) {
			request.append(header).append("\r\n");
		}
		request.append("Connection: close\r\n\r\n");
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			return Response.parse(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
		}
	}

	private record Response(int status, List<String> headers) {

		static Response parse(String text) {
			String head = text.split("\r\n\r\n", 2)[0];
			String[] lines = head.split("\r\n");
			List<String> headers = new ArrayList<>(List.of(lines).subList(1, lines.length));
			return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers);
		}

		String header(String name) {
			String prefix = name.toLowerCase(Locale.ROOT) + ":";
			return this.headers.stream()
				.filter((line) -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
				.map((line) -> line.substring(prefix.length()).trim())
				.findFirst()
				.orElse(null);
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Users {

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(User.withUsername("carol").password("{noop}pw").build(),
					User.withUsername("mallory").password("{noop}pw").build());
		}

	}

}
