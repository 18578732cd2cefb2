package io.github.xrefoauth.scenario;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.xrefoauth.account.XrefConnection;
import io.github.xrefoauth.account.XrefConnectionStatus.RejectedBy;
import io.github.xrefoauth.event.XrefConnectedEvent;
import io.github.xrefoauth.event.XrefConnectionEvent;
import io.github.xrefoauth.event.XrefDisconnectedEvent;
import io.github.xrefoauth.event.XrefRestoredEvent;
import io.github.xrefoauth.event.XrefRevokedEvent;
import io.github.xrefoauth.flow.FaultyStore.Fault;
import io.github.xrefoauth.scenario.Browser.Response;
import io.github.xrefoauth.scenario.StallableXrefApi.Stall;
import io.github.xrefoauth.test.XrefSimulator;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;

import static io.github.xrefoauth.scenario.ScenarioRun.ACME;
import static io.github.xrefoauth.scenario.ScenarioRun.CONNECTED;
import static io.github.xrefoauth.scenario.ScenarioRun.CONNECT_PATH;
import static io.github.xrefoauth.scenario.ScenarioRun.GLOBEX;
import static io.github.xrefoauth.scenario.ScenarioRun.failed;
import static io.github.xrefoauth.scenario.ScenarioRun.withParameter;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One table of scenarios, run on a servlet and on a WebFlux platform: each row is written
 * once and goes through the real filter chain of both, over HTTP, against the Xref
 * simulator. One platform per stack serves all rows; each row starts from no connection,
 * no fault, no recorded request and no event.
 */
class XrefScenarioTests {

	/** Put into hostile input, to find it if the platform reflects it. */
	static final String MARKER = "zqhostile";

	static final JsonMapper json = JsonMapper.builder().build();

	/** Keeps replaced tokens valid unless revoked, so that a dangling token shows. */
	static final XrefSimulator xref = XrefSimulator.start()
		.registerClient(Stack.CLIENT_ID, Stack.CLIENT_SECRET, Stack.REDIRECT_URI)
		.independentTokens(true);

	static final StallableXrefApi api = new StallableXrefApi(xref);

	static final Map<Stack, Stack.Platform> platforms = new EnumMap<>(Stack.class);

	static final List<Scenario> SCENARIOS = List.of(

			// connect

			scenario("connect: the end user is sent to Xref's authorize URL with only state", (run) -> {
				String location = run.browser("carol").startConnect();

				UriComponents authorize = UriComponentsBuilder.fromUriString(location).build();
				assertThat(location).startsWith(xref.baseUrl() + "/oauth/open-api/" + Stack.CLIENT_ID + "?");
				assertThat(authorize.getQueryParams().keySet()).containsExactly("state");
				assertThat(authorize.getQueryParams().getFirst("state")).hasSizeGreaterThan(20);
				assertThat(xref.requests("/oauth/tokens")).isEmpty();
			}),

			scenario("connect: success stores the token, links the tenant, publishes XrefConnectedEvent, "
					+ "and calls of the tenant carry the token", (run) -> {
						assertThat(run.connect(run.browser("alice"), ACME)).isEqualTo(CONNECTED);

						String token = run.accessToken("acme");
						assertThat(run.store().findByAccount(ACME)).get()
							.extracting(XrefConnection::connectedBy)
							.isEqualTo("alice");
						assertThat(run.events()).singleElement()
							.isInstanceOfSatisfying(XrefConnectedEvent.class,
									(event) -> assertThat(
											List.of(event.tenantKey(), event.xrefAccountId(), event.endUser()))
										.containsExactly("acme", ACME, "alice"));
						Browser bob = run.browser("bob");
						assertThat(bob.get("/api/connection").body()).isEqualTo(ACME);
						assertThat(run.browser("carol").get("/api/connection").body()).isEqualTo("none");
						assertThat(bob.get("/api/auth", "application/json").status()).isEqualTo(200);
						assertThat(xref.requests("/auth")).singleElement()
							.satisfies((call) -> assertThat(call.getHeaders().get("Authorization"))
								.isEqualTo("Token " + token));
						assertThat(xref.requests("/oauth/tokens")).hasSize(1);
					}),

			scenario("connect: a tenant that moves to another Xref account revokes and forgets the account it left, "
					+ "publishing XrefDisconnectedEvent", (run) -> {
						Browser alice = run.browser("alice");
						assertThat(run.connect(alice, ACME)).isEqualTo(CONNECTED);
						String left = run.accessToken("acme");
						run.clearEvents();

						assertThat(run.connect(alice, GLOBEX)).isEqualTo(CONNECTED);

						String token = run.accessToken("acme");
						assertThat(run.store().findByAccount(ACME)).isEmpty();
						assertThat(xref.validTokens()).containsExactly(token);
						assertThat(xref.requests("/oauth/deauthorize")).singleElement()
							.satisfies((revoke) -> assertThat(revoke.getHeaders().get("Authorization"))
								.isEqualTo("Token " + left));
						assertThat(run.events()).hasSize(2)
							.last()
							.isInstanceOfSatisfying(XrefDisconnectedEvent.class,
									(event) -> assertThat(
											List.of(event.tenantKey(), event.xrefAccountId(), event.endUser()))
										.containsExactly("acme", ACME, "alice"));
					}),

			// callback failures

			callbackFailure("callback: Xref answers error=access_denied", "access_denied",
					(run, carol) -> xref.deny(carol.startConnect())),

			callbackFailure("callback: Xref answers another error, whose text goes nowhere", "xref_error",
					(run, carol) -> xref.deny(carol.startConnect())
						.replace("access_denied", "%3Cscript%3E" + MARKER + "%3C%2Fscript%3E")),

			callbackFailure("callback: without code", "missing_code",
					(run, carol) -> withParameter(run.approve(carol, GLOBEX), "code")),

			callbackFailure("callback: unknown state", "invalid_state",
					(run, carol) -> withParameter(run.approve(carol, GLOBEX), "state", "forged-state")),

			callbackFailure("callback: token endpoint answers 500", "token_exchange_failed", (run, carol) -> {
				xref.overrideNextTokenResponse(json(500, "{}"));
				return run.approve(carol, GLOBEX);
			}),

			scenario("callback: replayed state is refused without a second token request", (run) -> {
				Browser carol = run.browser("carol");
				String callback = run.approve(carol, GLOBEX);
				assertThat(carol.callback(callback)).isEqualTo(CONNECTED);
				run.store().deleteAccount(GLOBEX);
				run.clearEvents();

				assertThat(carol.callback(callback)).isEqualTo(failed("invalid_state"));

				assertThat(xref.requests("/oauth/tokens")).hasSize(1);
				run.assertNothingStored();
				run.assertConnectFailedEvent("invalid_state", "carol");
			}),

			scenario("callback: state of another browser session of the same end user is refused", (run) -> {
				String callback = run.approve(run.browser("carol"), GLOBEX);

				assertThat(run.browser("carol").callback(callback)).isEqualTo(failed("invalid_state"));

				run.assertNothingExchangedOrStored();
				run.assertConnectFailedEvent("invalid_state", "carol");
			}),

			scenario("callback: without a login is not_authenticated, and the pending connect still completes",
					(run) -> {
						Browser carol = run.browser("carol");
						String callback = run.approve(carol, GLOBEX);

						assertThat(run.anonymous().callback(callback)).isEqualTo(failed("not_authenticated"));

						run.assertNothingExchangedOrStored();
						run.assertConnectFailedEvent("not_authenticated", null);
						assertThat(carol.callback(callback)).isEqualTo(CONNECTED);
					}),

			scenario("callback: other methods than GET get 405 and touch nothing", (run) -> {
				Browser carol = run.browser("carol");
				String callback = run.approve(carol, GLOBEX);
				for (String method : List.of("HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")) {
					Response response = carol.send(method, Browser.targetOf(callback), Map.of(), null);

					assertThat(response.status()).as("%s: %s", method, response).isEqualTo(405);
					assertThat(response.header("Allow")).as(method).isEqualTo("GET");
					assertThat(response.header("Location")).as(method).isNull();
				}
				run.assertNothingExchangedOrStored();
				assertThat(carol.callback(callback)).isEqualTo(CONNECTED);
			}),

			scenario("start: an end user without tenant is refused with no_tenant before Xref", (run) -> {
				Browser mallory = run.browser("mallory");
				Map<String, String> cookies = Map.copyOf(mallory.cookies());

				assertThat(mallory.startConnect()).isEqualTo(failed("no_tenant"));

				assertThat(mallory.cookies()).isEqualTo(cookies);
				run.assertNothingExchangedOrStored();
				run.assertConnectFailedEvent("no_tenant", "mallory");
			}),

			// tokens that would otherwise dangle

			scenario("dangling: a token that could not be stored is revoked at Xref", (run) -> {
				run.store().fault = Fault.SAVE_FAILS;

				assertThat(run.connect(run.browser("carol"), GLOBEX)).isEqualTo(failed("store_failed"));

				run.store().fault = Fault.NONE;
				run.assertNothingStored();
				assertThat(xref.requests("/oauth/tokens")).hasSize(1);
				assertThat(xref.requests("/oauth/deauthorize")).hasSize(1);
				assertThat(xref.validTokens()).as("tokens valid at Xref").isEmpty();
				run.assertConnectFailedEvent("store_failed", "carol");
			}),

			scenario("dangling: a reconnect revokes the token it replaced", (run) -> {
				assertThat(run.connect(run.browser("carol"), GLOBEX)).isEqualTo(CONNECTED);
				String replaced = run.accessToken("globex");

				assertThat(run.connect(run.browser("carol"), GLOBEX)).isEqualTo(CONNECTED);

				String current = run.accessToken("globex");
				assertThat(current).isNotEqualTo(replaced);
				assertThat(xref.validTokens()).containsExactly(current);
				assertThat(xref.requests("/oauth/deauthorize")).singleElement()
					.satisfies((request) -> assertThat(request.getHeaders().get("Authorization"))
						.isEqualTo("Token " + replaced));
			}),

			scenario("dangling: a token answer without its account is revoked", (run) -> {
				xref.overrideNextTokenResponse(json(200, "{\"access_token\":\"token-without-account\"}"));

				assertThat(run.connect(run.browser("carol"), GLOBEX)).isEqualTo(failed("token_exchange_failed"));

				assertThat(xref.requests("/oauth/deauthorize")).singleElement()
					.satisfies((request) -> assertThat(request.getHeaders().get("Authorization"))
						.isEqualTo("Token token-without-account"));
				run.assertNothingStored();
				run.assertConnectFailedEvent("token_exchange_failed", "carol");
			}),

			scenario("dangling: a reconnect that could not be stored keeps the token still held", (run) -> {
				assertThat(run.connect(run.browser("carol"), GLOBEX)).isEqualTo(CONNECTED);
				String held = run.accessToken("globex");
				run.store().fault = Fault.SAVE_FAILS;

				assertThat(run.connect(run.browser("carol"), GLOBEX)).isEqualTo(failed("store_failed"));

				run.store().fault = Fault.NONE;
				assertThat(run.accessToken("globex")).isEqualTo(held);
				assertThat(xref.validTokens()).containsExactly(held);
			}),

			scenario("dangling: a write that committed before the store failed is a success", (run) -> {
				run.store().fault = Fault.SAVE_COMMITS_THEN_FAILS;

				assertThat(run.connect(run.browser("carol"), GLOBEX)).isEqualTo(CONNECTED);

				assertThat(xref.validTokens()).containsExactly(run.accessToken("globex"));
				assertThat(xref.requests("/oauth/deauthorize")).isEmpty();
			}),

			// not connected

			scenario("not connected: an API client gets 409 with a problem detail naming the connect path", (run) -> {
				Response response = run.browser("carol").get("/api/auth", "application/json");

				assertThat(response.status()).as("%s", response).isEqualTo(409);
				assertThat(response.header("Content-Type")).startsWith("application/problem+json");
				JsonNode problem = json.readTree(response.body());
				assertThat(problem.get("status").asInt()).isEqualTo(409);
				assertThat(problem.get("connectUri").asString()).isEqualTo(CONNECT_PATH);
				assertThat(xref.requests("/auth")).isEmpty();
			}),

			scenario("not connected: a browser is sent to connect, and a forged Host header is not in Location",
					(run) -> {
						Browser carol = run.browser("carol");
						Response response = carol.get("/api/auth", "text/html");

						assertThat(response.status()).as("%s", response).isEqualTo(302);
						assertThat(run.resolve(response.location())).isEqualTo(run.origin() + CONNECT_PATH);
						Response forged = carol.host("evil.example").get("/api/auth", "text/html");
						assertThat(forged.status()).as("%s", forged).isEqualTo(302);
						assertThat(forged.location()).doesNotContain("evil.example").endsWith(CONNECT_PATH);
						assertThat(xref.requests("/auth")).isEmpty();
					}),

			// calls bound

			scenario("call bound: with 2 calls held by a stalled Xref, a third fails at once with 503", (run) -> {
				Browser carol = run.browser("carol");
				assertThat(run.connect(carol, GLOBEX)).isEqualTo(CONNECTED);
				Stall stall = run.api.stall(2);
				ExecutorService callers = Executors.newFixedThreadPool(3);
				try {
					List<CompletableFuture<Response>> held = Stream.of(1, 2)
						.map((i) -> CompletableFuture.supplyAsync(() -> carol.get("/api/auth", "application/json"),
								callers))
						.toList();
					assertThat(stall.awaitExpected()).as("two calls held at Xref").isTrue();

					CompletableFuture<Response> third = CompletableFuture
						.supplyAsync(() -> carol.get("/api/auth", "application/json"), callers);
					CompletableFuture.anyOf(third, stall.moreThanExpected()).get(120, TimeUnit.SECONDS);

					assertThat(stall.moreThanExpected()).as("a third call reached the stalled Xref").isNotDone();
					assertThat(third.join().status()).as("%s", third.join()).isEqualTo(503);
					stall.release();
					assertThat(held)
						.allSatisfy((call) -> assertThat(call.get(120, TimeUnit.SECONDS).status()).isEqualTo(200));
					assertThat(stall.arrived()).isEqualTo(2);
				}
				finally {
					stall.release();
					callers.shutdown();
				}
			}),

			// hostile input

			scenario("hostile: an oversized state is an unknown state; the pending connect still completes", (run) -> {
				Browser carol = run.browser("carol");
				String callback = run.approve(carol, GLOBEX);

				Response response = hostile(run, carol, withParameter(callback, "state", MARKER + "s".repeat(3000)));

				assertThat(response.location()).isEqualTo(failed("invalid_state"));
				run.assertNothingExchangedOrStored();
				assertThat(carol.callback(callback)).isEqualTo(CONNECTED);
			}),

			scenario("hostile: an oversized code goes to Xref once, as it is, and stores nothing", (run) -> {
				Browser carol = run.browser("carol");
				String code = MARKER + "c".repeat(3000);

				Response response = hostile(run, carol, withParameter(run.approve(carol, GLOBEX), "code", code));

				assertThat(response.location()).isEqualTo(failed("token_exchange_failed"));
				assertThat(xref.requests("/oauth/tokens")).singleElement()
					.satisfies((request) -> assertThat(codeSent(request)).isEqualTo(code));
				run.assertNothingStored();
			}),

			scenario("hostile: a duplicated state, forged value first, is an unknown state; "
					+ "the pending connect still completes", (run) -> {
						Browser carol = run.browser("carol");
						String callback = run.approve(carol, GLOBEX);
						String state = withParameter(callback, "code").replaceAll(".*state=", "");

						Response response = hostile(run, carol,
								withParameter(callback, "state", MARKER + "forged", state));

						assertThat(response.location()).isEqualTo(failed("invalid_state"));
						run.assertNothingExchangedOrStored();
						assertThat(carol.callback(callback)).isEqualTo(CONNECTED);
					}),

			scenario("hostile: a duplicated code sends Xref one code, as a JSON string", (run) -> {
				Browser carol = run.browser("carol");
				String callback = run.approve(carol, GLOBEX);
				String code = withParameter(callback, "state").replaceAll(".*code=", "");

				Response response = hostile(run, carol, withParameter(callback, "code", MARKER, code));

				assertThat(response.location()).isEqualTo(failed("token_exchange_failed"));
				assertThat(xref.requests("/oauth/tokens")).singleElement()
					.satisfies((request) -> assertThat(codeSent(request)).isEqualTo(MARKER));
				run.assertNothingStored();
			}),

			scenario("hostile: garbled state and code are refused, with a failure redirect or a 400, "
					+ "and reflect nothing; the pending connect still completes", (run) -> {
						Browser carol = run.browser("carol");
						String callback = run.approve(carol, GLOBEX);
						String path = Stack.CALLBACK_PATH;
						for (String target : List.of(path + "?state=%zz" + MARKER + "&code=%",
								path + "?state=" + MARKER + "%0D%0ALocation:%20http://evil.example/&code=%FF%FE",
								path + "?state=" + MARKER + "%00&code=" + MARKER + "%C0%AF",
								path + "?state=" + MARKER + "%E2%80%AE%F0%9F%98%80&code=\u00e9" + MARKER)) {
							Response response = hostile(run, carol, target);

							if (response.status() == 400) {
								assertThat(response.header("Location")).as("%s: %s", target, response).isNull();
							}
							else {
								assertThat(response.headers("Location")).as("%s: %s", target, response)
									.singleElement()
									.isIn(failed("invalid_state"), failed("invalid_request"));
							}
						}
						run.assertNothingExchangedOrStored();
						assertThat(carol.callback(callback)).isEqualTo(CONNECTED);
					}),

			scenario("hostile: a forged Host header never appears in Location", (run) -> {
				Browser carol = run.browser("carol").host("evil.example");

				String authorize = carol.startConnect();
				assertThat(authorize).startsWith(xref.baseUrl() + "/");
				String callback = xref.approve(authorize, GLOBEX);
				assertThat(carol.callback(withParameter(callback, "state", "forged-state")))
					.isEqualTo(failed("invalid_state"));
				assertThat(carol.callback(callback)).isEqualTo(CONNECTED);
			}),

			// rate limits

			scenario("rate limited: Xref's 429 with Retry-After: 7 answers an API client 503 with Retry-After: 7 "
					+ "and a problem detail; the connection is kept", (run) -> {
						Browser carol = run.browser("carol");
						assertThat(run.connect(carol, GLOBEX)).isEqualTo(CONNECTED);
						String token = run.accessToken("globex");
						xref.overrideNextResponse("/auth", rateLimited("7"));

						Response response = carol.get("/api/auth", "application/json");

						assertThat(response.status()).as("%s", response).isEqualTo(503);
						assertThat(response.headers("Retry-After")).containsExactly("7");
						assertThat(response.header("Content-Type")).startsWith("application/problem+json");
						JsonNode problem = json.readTree(response.body());
						assertThat(problem.get("status").asInt()).isEqualTo(503);
						assertThat(problem.get("title").asString()).isEqualTo("Service Unavailable");
						assertThat(response.text()).doesNotContain(MARKER).doesNotContain(token);
						assertThat(xref.requests("/auth")).hasSize(1);
						assertThat(run.accessToken("globex")).isEqualTo(token);
						assertThat(carol.get("/api/auth", "application/json").status()).isEqualTo(200);
					}),

			scenario("rate limited: a browser gets a 503 page with Retry-After, no redirect; "
					+ "without Retry-After from Xref it waits 60 s", (run) -> {
						Browser carol = run.browser("carol");
						assertThat(run.connect(carol, GLOBEX)).isEqualTo(CONNECTED);
						xref.overrideNextResponse("/auth", rateLimited("7"));
						xref.overrideNextResponse("/auth", rateLimited(null));

						Response page = carol.get("/api/auth", "text/html");
						Response api = carol.get("/api/auth", "application/json");

						assertThat(page.status()).as("%s", page).isEqualTo(503);
						assertThat(page.headers("Retry-After")).containsExactly("7");
						assertThat(page.header("Location")).isNull();
						assertThat(page.text()).doesNotContain(MARKER);
						assertThat(api.status()).as("%s", api).isEqualTo(503);
						assertThat(api.headers("Retry-After")).containsExactly("60");
						assertThat(run.store().findByAccount(GLOBEX)).isPresent();
					}),

			// connection health

			scenario("health: after Xref revokes an account, one API call's 401 publishes one XrefRevokedEvent "
					+ "naming every linked tenant; then API clients get reconnect_needed and browsers go to connect",
					(run) -> {
						Browser carol = linkAcmeAndGlobexToAcmeAccount(run);
						xref.revokeAccount(ACME);
						xref.clearRequests();

						assertThat(run.browser("bob").get("/api/auth", "application/json").status()).isNotEqualTo(200);

						assertThat(run.events()).singleElement()
							.isInstanceOfSatisfying(XrefRevokedEvent.class, (event) -> {
								assertThat(List.of(event.tenantKey(), event.xrefAccountId(), event.endUser()))
									.containsExactly("acme", ACME, "bob");
								assertThat(event.tenantKeys()).containsExactlyInAnyOrder("acme", "globex");
								assertThat(event.rejectedBy()).isEqualTo(RejectedBy.API_CALL);
							});
						Response api = carol.get("/api/auth", "application/json");
						assertThat(api.status()).as("%s", api).isEqualTo(409);
						assertThat(api.header("Content-Type")).startsWith("application/problem+json");
						JsonNode problem = json.readTree(api.body());
						assertThat(problem.get("reason").asString()).isEqualTo("reconnect_needed");
						assertThat(problem.get("connectUri").asString()).isEqualTo(CONNECT_PATH);
						assertThat(problem.get("rejectedAt").asString()).isNotBlank();
						Response page = carol.get("/api/auth", "text/html");
						assertThat(page.status()).as("%s", page).isEqualTo(302);
						assertThat(page.location()).endsWith(CONNECT_PATH);
						assertThat(xref.requests("/auth")).hasSize(1);
						assertThat(carol.get("/api/status").body()).isEqualTo("RECONNECT_NEEDED API_CALL " + ACME);
						assertThat(run.events()).hasSize(1);
					}),

			scenario("health: verify() that finds a revoked token publishes XrefRevokedEvent by VERIFY naming the "
					+ "tenant, and status() says reconnect needed", (run) -> {
						Browser alice = run.browser("alice");
						assertThat(run.connect(alice, ACME)).isEqualTo(CONNECTED);
						xref.revokeAccount(ACME);
						run.clearEvents();

						assertThat(alice.get("/api/verify").body()).isEqualTo("FORGOTTEN");

						assertThat(run.events()).singleElement()
							.isInstanceOfSatisfying(XrefRevokedEvent.class, (event) -> {
								assertThat(List.of(event.tenantKey(), event.xrefAccountId(), event.endUser()))
									.containsExactly("acme", ACME, "alice");
								assertThat(event.tenantKeys()).containsExactly("acme");
								assertThat(event.rejectedBy()).isEqualTo(RejectedBy.VERIFY);
							});
						assertThat(run.browser("bob").get("/api/status").body())
							.isEqualTo("RECONNECT_NEEDED VERIFY " + ACME);
						assertThat(run.browser("carol").get("/api/status").body()).isEqualTo("NOT_CONNECTED null null");
					}),

			scenario("health: a reconnect after a break publishes XrefConnectedEvent, then XrefRestoredEvent "
					+ "naming every linked tenant, and their calls work again", (run) -> {
						Browser carol = linkAcmeAndGlobexToAcmeAccount(run);
						xref.revokeAccount(ACME);
						Browser bob = run.browser("bob");
						assertThat(bob.get("/api/auth", "application/json").status()).isNotEqualTo(200);
						run.clearEvents();

						assertThat(run.connect(carol, ACME)).isEqualTo(CONNECTED);

						List<XrefConnectionEvent> events = run.events();
						assertThat(events).hasSize(2);
						assertThat(events.get(0)).isInstanceOfSatisfying(XrefConnectedEvent.class,
								(event) -> assertThat(event.tenantKey()).isEqualTo("globex"));
						assertThat(events.get(1)).isInstanceOfSatisfying(XrefRestoredEvent.class, (event) -> {
							assertThat(List.of(event.tenantKey(), event.xrefAccountId(), event.endUser()))
								.containsExactly("globex", ACME, "carol");
							assertThat(event.tenantKeys()).containsExactlyInAnyOrder("acme", "globex");
						});
						assertThat(bob.get("/api/auth", "application/json").status()).isEqualTo(200);
						assertThat(bob.get("/api/status").body()).isEqualTo("CONNECTED null " + ACME);
					}));

	/**
	 * Connects tenant acme (alice) and tenant globex (carol) to one Xref account, and
	 * forgets the events.
	 * @return carol's browser
	 */
	static Browser linkAcmeAndGlobexToAcmeAccount(ScenarioRun run) {
		assertThat(run.connect(run.browser("alice"), ACME)).isEqualTo(CONNECTED);
		Browser carol = run.browser("carol");
		assertThat(run.connect(carol, ACME)).isEqualTo(CONNECTED);
		assertThat(run.store().findTenants(ACME)).containsExactlyInAnyOrder("acme", "globex");
		run.clearEvents();
		return carol;
	}

	@AfterAll
	static void stop() {
		platforms.values().forEach(Stack.Platform::close);
		api.close();
		xref.close();
	}

	static Stream<Arguments> table() {
		return Arrays.stream(Stack.values())
			.flatMap((stack) -> SCENARIOS.stream().map((scenario) -> Arguments.of(stack, scenario)));
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("table")
	void scenario(Stack stack, Scenario scenario) throws Exception {
		Stack.Platform platform = platforms.computeIfAbsent(stack, (key) -> key.start(xref.baseUrl(), api.baseUrl()));
		ScenarioRun run = new ScenarioRun(platform, xref, api);
		run.reset();
		try {
			scenario.steps().run(run);
		}
		catch (AssertionError ex) {
			throw new AssertionError(stack + ": " + scenario + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Sends a hostile request: it gets no 5xx, stays on the platform, and its answer does
	 * not carry the marker.
	 */
	static Response hostile(ScenarioRun run, Browser browser, String url) {
		Response response = browser.get(url.startsWith("/") ? url : Browser.targetOf(url));
		assertThat(response.status()).as("%s", response).isLessThan(500);
		assertThat(response.text()).doesNotContain(MARKER);
		assertThat(response.headers("Location"))
			.allSatisfy((location) -> assertThat(location).as("Location").startsWith("/").doesNotStartWith("//"));
		return response;
	}

	static String codeSent(RecordedRequest tokenRequest) {
		JsonNode code = json.readTree(tokenRequest.getBody().utf8()).get("code");
		assertThat(code.isString()).as("code sent as a JSON string: %s", code).isTrue();
		return code.asString();
	}

	static MockResponse json(int status, String body) {
		return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
	}

	/** Xref's 429, with a body that must go nowhere. */
	static MockResponse rateLimited(@Nullable String retryAfter) {
		MockResponse.Builder response = new MockResponse.Builder().code(429)
			.addHeader("Content-Type", "application/json")
			.body("{\"error\":\"" + MARKER + "\"}");
		return ((retryAfter != null) ? response.addHeader("Retry-After", retryAfter) : response).build();
	}

	static Scenario scenario(String name, Steps steps) {
		return new Scenario(name, steps);
	}

	/**
	 * A callback that Xref or an attacker bent ends on the failure URL with the code, and
	 * nothing is exchanged, stored or reflected; one failed connect is published.
	 */
	static Scenario callbackFailure(String name, String code, BentCallback callback) {
		return scenario(name + " -> " + failed(code), (run) -> {
			Browser carol = run.browser("carol");
			String bent = callback.of(run, carol);
			run.clearEvents();

			assertThat(hostile(run, carol, bent).location()).isEqualTo(failed(code));

			int exchanges = "token_exchange_failed".equals(code) ? 1 : 0;
			assertThat(xref.requests("/oauth/tokens")).as("token requests").hasSize(exchanges);
			run.assertNothingStored();
			run.assertConnectFailedEvent(code, "carol");
		});
	}

	/**
	 * One row of the table.
	 *
	 * @param name what happens, and what follows
	 * @param steps what the row does and checks
	 */
	record Scenario(String name, Steps steps) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	/** What a row does and checks on one stack. */
	@FunctionalInterface
	interface Steps {

		void run(ScenarioRun run) throws Exception;

	}

	/** Makes the callback URL that a row sends. */
	@FunctionalInterface
	interface BentCallback {

		String of(ScenarioRun run, Browser carol);

	}

}
