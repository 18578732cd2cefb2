package io.github.xrefoauth.internal;

import java.util.function.Predicate;

import io.github.xrefoauth.account.XrefApiException;
import io.github.xrefoauth.account.XrefRateLimitedException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;

/**
 * What Xref's reference promises to answer to a call of the connection services, and the
 * judgement of an answer against it, shared by the servlet and the reactive service and
 * by the token revoker: a {@code 401} rejects the token, a 2xx {@code application/json}
 * or {@code application/*+json} answer of the promised shape (at most
 * {@value #MAX_BODY_BYTES} bytes) is accepted, a {@code 429} is an
 * {@link XrefRateLimitedException} and anything else an {@link XrefApiException}.
 *
 * @since 0.1.0
 */
public final class XrefApiAnswer {

	/** Bytes of a body read at most; a longer body is not the JSON promised. */
	public static final int MAX_BODY_BYTES = 64 * 1024;

	private static final JsonMapper JSON_MAPPER = JsonMapper.shared();

	private final String path;

	private final Predicate<JsonNode> promised;

	private final String promise;

	private XrefApiAnswer(String path, Predicate<JsonNode> promised, String promise) {
		this.path = path;
		this.promised = promised;
		this.promise = promise;
	}

	/**
	 * Returns the answer promised to {@code POST /auth}: any JSON value.
	 * @return the promised answer
	 */
	public static XrefApiAnswer toAuth() {
		return new XrefApiAnswer("/auth", (json) -> true, "not a JSON answer");
	}

	/**
	 * Returns the answer promised to {@code POST /oauth/deauthorize}: a JSON object whose
	 * {@code access_token} is the token revoked.
	 * @param accessToken the token revoked
	 * @return the promised answer
	 */
	public static XrefApiAnswer toDeauthorize(String accessToken) {
		Assert.hasText(accessToken, "accessToken cannot be empty");
		return new XrefApiAnswer("/oauth/deauthorize", (json) -> revokes(json, accessToken),
				"not a JSON object whose access_token is the token revoked");
	}

	/**
	 * Returns the path that is posted to.
	 * @return the path, relative to the API URI
	 */
	public String path() {
		return this.path;
	}

	/**
	 * Judges an answer by its status and headers, before its body is read.
	 * @param status the status of the answer
	 * @param headers the headers of the answer
	 * @return {@code false} if Xref rejected the token ({@code 401}); {@code true} if the
	 * body decides: read at most {@value #MAX_BODY_BYTES} bytes of it and pass them to
	 * {@link #judgeBody}
	 * @throws XrefRateLimitedException if Xref limits the rate of calls ({@code 429})
	 * @throws XrefApiException if the answer is neither a {@code 401} nor a 2xx JSON
	 * answer
	 */
	public boolean judgeHead(HttpStatusCode status, HttpHeaders headers) {
		if (status.isSameCodeAs(HttpStatus.UNAUTHORIZED)) {
			return false;
		}
		if (XrefRateLimits.isRateLimited(status)) {
			throw XrefRateLimits.exception(call(), headers);
		}
		MediaType contentType = contentType(headers);
		if (!status.is2xxSuccessful()) {
			throw new XrefApiException(call(), status, contentType, "not a 2xx answer");
		}
		if (!isJson(contentType)) {
			throw new XrefApiException(call(), status, contentType, this.promise);
		}
		return true;
	}

	/**
	 * Judges the body of an answer that {@link #judgeHead} let through.
	 * @param status the status of the answer
	 * @param headers the headers of the answer
	 * @param body the first {@value #MAX_BODY_BYTES} bytes of the body, or all of a
	 * shorter one
	 * @throws XrefApiException if the body is not the JSON promised
	 */
	public void judgeBody(HttpStatusCode status, HttpHeaders headers, byte[] body) {
		JsonNode json = read(body);
		if (json == null || !this.promised.test(json)) {
			throw new XrefApiException(call(), status, contentType(headers), this.promise);
		}
	}

	private String call() {
		return "POST " + this.path;
	}

	private static boolean revokes(JsonNode json, String accessToken) {
		JsonNode revoked = json.get("access_token");
		return revoked != null && revoked.isString() && revoked.asString().equals(accessToken);
	}

	private static @Nullable MediaType contentType(HttpHeaders headers) {
		return XrefRateLimits.contentType(headers);
	}

	private static boolean isJson(@Nullable MediaType contentType) {
		return contentType != null && "application".equals(contentType.getType())
				&& ("json".equals(contentType.getSubtype()) || contentType.getSubtype().endsWith("+json"));
	}

	private static @Nullable JsonNode read(byte[] body) {
		try {
			JsonNode json = JSON_MAPPER.readTree(body);
			return (json == null || json.isMissingNode()) ? null : json;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
