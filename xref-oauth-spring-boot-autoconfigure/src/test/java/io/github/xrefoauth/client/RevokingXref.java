package io.github.xrefoauth.client;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A fake Xref that honours the tokens it issued until they are revoked:
 * {@code POST /oauth/deauthorize} revokes the token sent and names it in its answer,
 * {@code POST /auth} accepts it; a revoked or unknown token gets {@code 401}. A task can
 * run when a deauthorize request arrives, before Xref answers it.
 */
public final class RevokingXref extends Dispatcher {

	private final Set<String> valid = ConcurrentHashMap.newKeySet();

	private final List<String> received = new CopyOnWriteArrayList<>();

	private final AtomicReference<Runnable> onDeauthorize = new AtomicReference<>(() -> {
	});

	/**
	 * Issues a token that Xref honours from now on.
	 * @param token the token
	 */
	public void issue(String token) {
		this.valid.add(token);
	}

	/**
	 * Revokes a token at Xref's side.
	 * @param token the token
	 */
	public void revoke(String token) {
		this.valid.remove(token);
	}

	/**
	 * Whether Xref still honours a token.
	 * @param token the token
	 * @return {@code true} until it is revoked
	 */
	public boolean honours(String token) {
		return this.valid.contains(token);
	}

	/**
	 * The tokens of the requests so far, in order.
	 * @return the tokens
	 */
	public List<String> received() {
		return this.received;
	}

	/**
	 * Runs a task once, when the next deauthorize request arrives and before it is
	 * answered.
	 * @param task the task
	 */
	public void onDeauthorize(Runnable task) {
		this.onDeauthorize.set(task);
	}

	@Override
	public MockResponse dispatch(RecordedRequest request) {
		String authorization = request.getHeaders().get("Authorization");
		String token = (authorization != null) ? authorization.substring("Token ".length()) : "";
		this.received.add(token);
		if (request.getUrl().encodedPath().equals("/oauth/deauthorize")) {
			this.onDeauthorize.getAndSet(() -> {
			}).run();
			return this.valid.remove(token) ? json("{\"access_token\":\"" + token + "\"}")
					: new MockResponse.Builder().code(401).build();
		}
		return this.valid.contains(token) ? json("{}") : new MockResponse.Builder().code(401).build();
	}

	private static MockResponse json(String body) {
		return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
	}

}
