package io.github.xrefoauth.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;

import io.github.xrefoauth.internal.RateLimitedWarnings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.util.Assert;

/**
 * Receives Xref's webhooks at one path. A delivery is accepted ({@code 204}) and
 * published as an {@link XrefWebhookReceivedEvent} only if it is a {@code POST} with a
 * JSON content type and a JSON body of at most the size bound, and the
 * {@link XrefWebhookVerifier} does not reject it. Everything else is answered with a
 * {@code 4xx} problem and counted in {@link XrefWebhookStatistics}; nothing a sender can
 * send leads to a {@code 5xx}. A verifier that throws is logged at WARN at most once a
 * minute, since any sender can make it run.
 *
 * @since 0.1.0
 */
public final class XrefWebhookReceiver {

	private static final Log logger = LogFactory.getLog(XrefWebhookReceiver.class);

	private static final Duration WARNING_INTERVAL = Duration.ofMinutes(1);

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private final RequestMatcher pathMatcher;

	private final int maxBodySize;

	private final XrefWebhookVerifier verifier;

	private final XrefWebhookStatistics statistics;

	private ApplicationEventPublisher eventPublisher = (event) -> {
	};

	private Clock clock = Clock.systemUTC();

	private RateLimitedWarnings<XrefWebhookRejection> warnings = new RateLimitedWarnings<>(WARNING_INTERVAL,
			this.clock);

	/**
	 * Creates a receiver.
	 * @param path the webhook path within the application
	 * @param maxBodySize the largest body accepted, in bytes
	 * @param verifier decides whether a delivery comes from Xref
	 * @param statistics counts deliveries
	 */
	public XrefWebhookReceiver(String path, int maxBodySize, XrefWebhookVerifier verifier,
			XrefWebhookStatistics statistics) {
		Assert.isTrue(path != null && path.startsWith("/"), "path must start with '/'");
		Assert.isTrue(maxBodySize > 0, "maxBodySize must be positive");
		Assert.notNull(verifier, "verifier cannot be null");
		Assert.notNull(statistics, "statistics cannot be null");
		this.pathMatcher = PathPatternRequestMatcher.withDefaults().matcher(path);
		this.maxBodySize = maxBodySize;
		this.verifier = verifier;
		this.statistics = statistics;
	}

	/**
	 * Whether the request is for the webhook path, whatever its method.
	 * @param request the request
	 * @return {@code true} for the webhook path
	 */
	public boolean matches(HttpServletRequest request) {
		return this.pathMatcher.matches(request);
	}

	/**
	 * Answers a request to the webhook path.
	 * @param request the request
	 * @param response the response
	 * @throws IOException if the answer cannot be written
	 */
	public void receive(HttpServletRequest request, HttpServletResponse response) throws IOException {
		XrefWebhookRejection rejection = accept(request);
		if (rejection == null) {
			response.setStatus(HttpStatus.NO_CONTENT.value());
			return;
		}
		this.statistics.rejected(rejection);
		if (rejection == XrefWebhookRejection.METHOD_NOT_ALLOWED) {
			response.setHeader(HttpHeaders.ALLOW, HttpMethod.POST.name());
		}
		response.setStatus(rejection.status().value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream()
			.write(("{\"status\":" + rejection.status().value() + ",\"title\":\"" + rejection.status().getReasonPhrase()
					+ "\",\"reason\":\"" + rejection.code() + "\"}")
				.getBytes(StandardCharsets.UTF_8));
	}

	private @Nullable XrefWebhookRejection accept(HttpServletRequest request) {
		if (!HttpMethod.POST.matches(request.getMethod())) {
			return XrefWebhookRejection.METHOD_NOT_ALLOWED;
		}
		if (!isJson(request.getContentType())) {
			return XrefWebhookRejection.UNSUPPORTED_MEDIA_TYPE;
		}
		if (request.getContentLengthLong() > this.maxBodySize) {
			return XrefWebhookRejection.PAYLOAD_TOO_LARGE;
		}
		byte[] body;
		try (InputStream in = request.getInputStream()) {
			body = in.readNBytes(this.maxBodySize + 1);
		}
		catch (IOException ex) {
			return XrefWebhookRejection.MALFORMED_JSON;
		}
		if (body.length > this.maxBodySize) {
			return XrefWebhookRejection.PAYLOAD_TOO_LARGE;
		}
		if (!isJson(body)) {
			return XrefWebhookRejection.MALFORMED_JSON;
		}
		XrefWebhookDelivery delivery = new XrefWebhookDelivery(body, headers(request), this.clock.instant());
		XrefWebhookVerification verification = verify(delivery);
		if (verification == XrefWebhookVerification.REJECTED) {
			return XrefWebhookRejection.NOT_VERIFIED;
		}
		boolean verified = verification == XrefWebhookVerification.VERIFIED;
		this.statistics.accepted(verified);
		this.eventPublisher.publishEvent(new XrefWebhookReceivedEvent(delivery, verified));
		return null;
	}

	private XrefWebhookVerification verify(XrefWebhookDelivery delivery) {
		try {
			XrefWebhookVerification verification = this.verifier.verify(delivery);
			return (verification != null) ? verification : XrefWebhookVerification.REJECTED;
		}
		catch (RuntimeException ex) {
			long heldBack = this.warnings.acquire(XrefWebhookRejection.NOT_VERIFIED);
			if (heldBack >= 0) {
				logger.warn("XrefWebhookVerifier failed, the delivery is rejected: " + ex.getClass().getSimpleName()
						+ RateLimitedWarnings.heldBack(heldBack));
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("XrefWebhookVerifier failed, the delivery is rejected: " + ex.getClass().getSimpleName());
			}
			return XrefWebhookVerification.REJECTED;
		}
	}

	private static boolean isJson(@Nullable String contentType) {
		if (contentType == null) {
			return false;
		}
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return "application".equals(type.getType())
					&& ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	private static boolean isJson(byte[] body) {
		try {
			JsonNode json = JSON.readTree(body);
			return json != null && !json.isMissingNode();
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	private static HttpHeaders headers(HttpServletRequest request) {
		HttpHeaders headers = new HttpHeaders();
		for (String name : Collections.list(request.getHeaderNames())) {
			headers.put(name, Collections.list(request.getHeaders(name)));
		}
		return headers;
	}

	/**
	 * Sets the publisher of {@link XrefWebhookReceivedEvent}. Defaults to none.
	 * @param eventPublisher the publisher
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		Assert.notNull(eventPublisher, "eventPublisher cannot be null");
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Sets the clock that stamps deliveries and spaces the warnings about a failing
	 * verifier, which start afresh.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "clock cannot be null");
		this.clock = clock;
		this.warnings = new RateLimitedWarnings<>(WARNING_INTERVAL, clock);
	}

}
