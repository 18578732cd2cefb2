package io.github.xrefoauth.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every redirect of the sample names a path, never the host of the request's {@code Host}
 * header, which anyone can forge: requests to the running server that name
 * {@code evil.example}. Written by hand on a socket because HTTP clients set the
 * {@code Host} header themselves.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.simulator.enabled=false")
class SampleRedirectTests {

	private static final String FORGED_HOST = "evil.example";

	private static final String DATABASE_URL = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void ownDatabase(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> DATABASE_URL);
	}

	@Test
	void loginPageRedirectIsRelative() {
		assertThat(new Browser().get("/").location()).isEqualTo("/login");
	}

	@Test
	void loginPageRedirectIsRelativeForHttp10Too() {
		// Tomcat makes any redirect of an HTTP/1.0 request absolute unless it is sent
		// as a header.
		Response response = new Browser().send("GET", "/", null, "HTTP/1.0");
		assertThat(response.location()).isEqualTo("/login");
	}

	@Test
	void loginSuccessReturnsToTheSavedPageByItsPath() {
		Browser browser = new Browser();
		browser.get("/");
		// as browsers do; Spring Security saves no favicon as the page to return to
		browser.get("/favicon.ico");
		assertThat(browser.logIn("alice").location()).isEqualTo("/?continue");
		assertThat(browser.get("/?continue").status()).isEqualTo(200);
	}

	@Test
	void loginSuccessWithoutSavedPageAndLoginFailureAreRelative() {
		assertThat(new Browser().logIn("alice").location()).isEqualTo("/");
		Browser stranger = new Browser();
		String csrf = stranger.csrf("/login");
		assertThat(stranger.post("/login", "username=alice&password=wrong&_csrf=" + encode(csrf)).location())
			.isEqualTo("/login?error");
	}

	@Test
	void logoutSuccessIsRelative() {
		Browser browser = new Browser();
		browser.logIn("alice");
		String csrf = browser.csrf("/");
		assertThat(browser.post("/logout", "_csrf=" + encode(csrf)).location()).isEqualTo("/login?logout");
	}

	@Test
	void dashboardActionRedirectIsRelative() {
		Browser browser = new Browser();
		browser.logIn("carol");
		String csrf = browser.csrf("/");
		assertThat(browser.post("/xref/verify", "_csrf=" + encode(csrf)).location()).isEqualTo("/");
	}

	@Test
	void connectStartGoesToXrefsConsentPage() {
		Browser browser = new Browser();
		browser.logIn("alice");
		assertThat(browser.get("/oauth2/authorization/xref").location())
			.startsWith("http://127.0.0.1:8081/oauth/open-api/sample-platform?state=");
	}

	@Test
	void starterRedirectsAreRelative() {
		Browser browser = new Browser();
		browser.logIn("operator");
		assertThat(browser.get("/oauth2/authorization/xref").location()).isEqualTo("/?xref_error=no_tenant");
		assertThat(browser.get("/integrations/xref?state=unknown&code=abc").location())
			.isEqualTo("/?xref_error=invalid_state");
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * Requests that all name the forged host, with one session cookie.
	 */
	private final class Browser {

		private @Nullable String sessionCookie;

		Response get(String path) {
			return send("GET", path, null, "HTTP/1.1");
		}

		Response post(String path, String form) {
			return send("POST", path, form, "HTTP/1.1");
		}

		String csrf(String path) {
			Response page = get(path);
			assertThat(page.status()).as(path).isEqualTo(200);
			Matcher matcher = CSRF.matcher(page.body());
			assertThat(matcher.find()).as("CSRF token on " + path).isTrue();
			return matcher.group(1);
		}

		Response logIn(String username) {
			String csrf = csrf("/login");
			Response response = post("/login", "username=" + username + "&password="
					+ SampleSecurityConfiguration.DEMO_PASSWORD + "&_csrf=" + encode(csrf));
			assertThat(response.location()).as("login of " + username).doesNotContain("error");
			return response;
		}

		Response send(String method, String path, @Nullable String form, String protocol) {
			byte[] body = (form != null) ? form.getBytes(StandardCharsets.US_ASCII) : new byte[0];
			StringBuilder head = new StringBuilder();
			head.append(method).append(' ').append(path).append(' ').append(protocol).append("\r\n");
			head.append("Host: ").append(FORGED_HOST).append("\r\n");
			head.append("Connection: close\r\n");
			if (this.sessionCookie != null) {
				head.append("Cookie: ").append(this.sessionCookie).append("\r\n");
			}
			if (form != null) {
				head.append("Content-Type: application/x-www-form-urlencoded\r\n");
				head.append("Content-Length: ").append(body.length).append("\r\n");
			}
			head.append("\r\n");
			try (Socket socket = new Socket("127.0.0.1", SampleRedirectTests.this.port)) {
				socket.setSoTimeout(20_000);
				OutputStream out = socket.getOutputStream();
				out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
				out.write(body);
				out.flush();
				Response response = Response.read(socket.getInputStream());
				for (String cookie : response.headers("Set-Cookie")) {
					if (cookie.startsWith("JSESSIONID=")) {
						this.sessionCookie = cookie.substring(0, cookie.indexOf(';'));
					}
				}
				for (String location : response.headers("Location")) {
					assertThat(location).as(method + " " + path).doesNotContainIgnoringCase(FORGED_HOST);
				}
				return response;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	/**
	 * An HTTP answer read to the end of the connection.
	 */
	private record Response(int status, List<String> headerLines, String body) {

		static Response read(InputStream in) throws IOException {
			String raw = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
			int end = raw.indexOf("\r\n\r\n");
			List<String> lines = List.of(raw.substring(0, end).split("\r\n"));
			int status = Integer.parseInt(lines.get(0).split(" ")[1]);
			List<String> headers = lines.subList(1, lines.size());
			String body = raw.substring(end + 4);
			if (headers.stream().anyMatch((line) -> line.equalsIgnoreCase("Transfer-Encoding: chunked"))) {
				body = unchunk(body);
			}
			return new Response(status, headers, body);
		}

		private static String unchunk(String chunked) {
			StringBuilder body = new StringBuilder();
			int at = 0;
			while (true) {
				int lineEnd = chunked.indexOf("\r\n", at);
				int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
				if (size == 0) {
					return body.toString();
				}
				body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
				at = lineEnd + 2 + size + 2;
			}
		}

		List<String> headers(String name) {
			String prefix = name.toLowerCase(Locale.ROOT) + ":";
			List<String> values = new ArrayList<>();
			for (String line : this.headerLines) {
				if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
					values.add(line.substring(prefix.length()).trim());
				}
			}
			return values;
		}

		String location() {
			assertThat(this.status).as("redirect status").isEqualTo(302);
			List<String> locations = headers("Location");
			assertThat(locations).hasSize(1);
			return locations.get(0);
		}

	}

}
