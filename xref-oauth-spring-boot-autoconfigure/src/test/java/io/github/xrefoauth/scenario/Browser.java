package io.github.xrefoauth.scenario;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One end user's browser against a running platform, speaking HTTP/1.1 over a plain
 * socket: it sends the request target and the {@code Host} header exactly as given (a
 * forged host, an invalid %-encoding), keeps the cookies the platform sets, logs in
 * through the login form and follows no redirect by itself.
 */
final class Browser {

	static final String PASSWORD = "password";

	private final int port;

	private final Map<String, String> cookies = new ConcurrentHashMap<>();

	private volatile String host;

	Browser(int port) {
		this.port = port;
		this.host = "localhost:" + port;
	}

	/** Logs in through the platform's login form. */
	Browser login(String username) {
		Response response = send("POST", "/login", Map.of("Content-Type", "application/x-www-form-urlencoded"),
				"username=" + encode(username) + "&password=" + encode(PASSWORD));
		assertThat(response.status()).as("login of %s", username).isEqualTo(302);
		assertThat(response.location()).as("login of %s", username).doesNotContain("error");
		return this;
	}

	/** Sends every later request with the given {@code Host} header. */
	Browser host(String host) {
		this.host = host;
		return this;
	}

	/** Clicks "Connect" and returns where the platform redirected to. */
	String startConnect() {
		return redirect(get("/oauth2/authorization/xref"));
	}

	/**
	 * Follows Xref's redirect back to the platform and returns where the end user lands.
	 */
	String callback(String callbackUrl) {
		return redirect(get(targetOf(callbackUrl)));
	}

	Response get(String target) {
		return send("GET", target, Map.of(), null);
	}

	Response get(String target, String accept) {
		return send("GET", target, Map.of("Accept", accept), null);
	}

	Map<String, String> cookies() {
		return this.cookies;
	}

	/**
	 * Sends one request on a new connection and reads the whole answer.
	 * @param method the method
	 * @param target the request target, sent as it is
	 * @param headers more headers
	 * @param body a form body, or {@code null}
	 * @return the answer
	 */
	Response send(String method, String target, Map<String, String> headers, @Nullable String body) {
		StringBuilder request = new StringBuilder();
		request.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
		request.append("Host: ").append(this.host).append("\r\n");
		request.append("Connection: close\r\n");
		if (!this.cookies.isEmpty()) {
			request.append("Cookie: ")
				.append(this.cookies.entrySet()
					.stream()
					.map((cookie) -> cookie.getKey() + "=" + cookie.getValue())
					.collect(Collectors.joining("; ")))
				.append("\r\n");
		}
		headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
		byte[] content = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
		if (body != null || !List.of("GET", "HEAD", "OPTIONS", "DELETE", "TRACE").contains(method)) {
			request.append("Content-Length: ").append(content.length).append("\r\n");
		}
		request.append("\r\n");
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(120_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.write(content);
			out.flush();
			Response response = Response.read(socket.getInputStream(), "HEAD".equals(method));
			response.headers("Set-Cookie").forEach(this::keepCookie);
			return response;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(method + " " + target, ex);
		}
	}

	private String redirect(Response response) {
		assertThat(response.status()).as("status of a redirect, answer %s", response).isEqualTo(302);
		return response.location();
	}

	private void keepCookie(String setCookie) {
		String pair = setCookie.split(";", 2)[0];
		int equals = pair.indexOf('=');
		String name = pair.substring(0, equals).trim();
		String value = pair.substring(equals + 1).trim();
		String attributes = setCookie.toLowerCase(Locale.ROOT);
		if (value.isEmpty() || attributes.contains("max-age=0")) {
			this.cookies.remove(name);
		}
		else {
			this.cookies.put(name, value);
		}
	}

	/** Returns the path and query of a URL, as they were encoded. */
	static String targetOf(String url) {
		URI uri = URI.create(url);
		return uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
	}

	static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * An answer of the platform.
	 *
	 * @param status the status code
	 * @param headers the headers, by lower-case name
	 * @param body the body, as UTF-8
	 */
	record Response(int status, Map<String, List<String>> headers, String body) {

		@Nullable String header(String name) {
			List<String> values = headers(name);
			return values.isEmpty() ? null : values.get(0);
		}

		List<String> headers(String name) {
			return this.headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
		}

		String location() {
			String location = header("Location");
			assertThat(location).as("Location of %s", this).isNotNull();
			return location;
		}

		/** Returns the status line, the headers and the body as one text. */
		String text() {
			return this.status + " " + this.headers + " " + this.body;
		}

		@Override
		public String toString() {
			String shown = (this.body.length() > 300) ? this.body.substring(0, 300) + "..." : this.body;
			return this.status + " " + this.headers + " " + shown;
		}

		static Response read(InputStream in, boolean head) throws IOException {
			byte[] bytes = in.readAllBytes();
			int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
			assertThat(end).as("an HTTP answer: %s", new String(bytes, StandardCharsets.ISO_8859_1)).isGreaterThan(0);
			String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
			int status = Integer.parseInt(lines[0].split(" ")[1]);
			Map<String, List<String>> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers
					.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
							(name) -> new ArrayList<>())
					.add(lines[i].substring(colon + 1).trim());
			}
			byte[] rest = Arrays.copyOfRange(bytes, end + 4, bytes.length);
			boolean chunked = headers.getOrDefault("transfer-encoding", List.of()).contains("chunked");
			byte[] body = head ? new byte[0] : (chunked ? dechunk(rest) : rest);
			return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
		}

		private static byte[] dechunk(byte[] chunked) {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			int position = 0;
			while (position < chunked.length) {
				int lineEnd = indexOf(chunked, "\r\n".getBytes(StandardCharsets.ISO_8859_1), position);
				String size = new String(chunked, position, lineEnd - position, StandardCharsets.ISO_8859_1);
				int length = Integer.parseInt(size.split(";")[0].trim(), 16);
				if (length == 0) {
					break;
				}
				body.write(chunked, lineEnd + 2, length);
				position = lineEnd + 2 + length + 2;
			}
			return body.toByteArray();
		}

		private static int indexOf(byte[] bytes, byte[] part, int from) {
			for (int i = from; i <= bytes.length - part.length; i++) {
				if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
					return i;
				}
			}
			return -1;
		}

	}

}
