package io.github.xrefoauth.sample;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import io.github.xrefoauth.account.XrefAccountStore;
import io.github.xrefoauth.health.XrefHealthCheck;
import io.github.xrefoauth.test.XrefSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.willReturn;

/**
 * The whole demo in headless Chromium, against the in-process Xref simulator: connect,
 * verify, a shared tenant, a denial, a revocation at Xref that the operator's health
 * round finds, a reconnect, a revocation that Verify finds, a disconnect, and the
 * Actuator endpoint that only the operator reads. Saves a screenshot of each step under
 * {@code target/screenshots}.
 * <p>
 * Skipped when {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver} is missing,
 * unless the environment variable {@code XREF_BROWSER_TESTS_REQUIRED} is {@code true}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT)
@EnabledIf(value = "chromiumInstalledOrRequired",
		disabledReason = "skipped: /usr/bin/chromium or /usr/bin/chromedriver is missing"
				+ " (apt-get install chromium chromium-driver)")
class SampleAppBrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private static final String ACCOUNT_ID = XrefSimulator.DEFAULT_ACCOUNT_ID;

	private static final int APP_PORT = freePort(0);

	private static final int SIMULATOR_PORT = freePort(APP_PORT);

	/**
	 * This test context's own database, named once: a dynamic property's supplier runs on
	 * every read.
	 */
	private static final String DATABASE_URL = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	@Autowired
	private XrefSimulator simulator;

	@Autowired
	private XrefHealthCheck healthCheck;

	@MockitoSpyBean
	private XrefAccountStore accountStore;

	private Path userDataDir;

	private WebDriver driver;

	private WebDriverWait wait;

	private int step;

	/**
	 * The redirect URL registered with the simulator must carry the application's port,
	 * so both ports are chosen before the context starts; application.properties derives
	 * {@code xref.oauth.redirect-uri}, {@code login-uri} and {@code api-uri} from them.
	 * The context gets its own database, which no other test context shares.
	 */
	@DynamicPropertySource
	static void portsAndOwnDatabase(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> APP_PORT);
		registry.add("sample.simulator.port", () -> SIMULATOR_PORT);
		registry.add("spring.datasource.url", () -> DATABASE_URL);
	}

	static boolean chromiumInstalledOrRequired() {
		return chromiumInstalled() || browserTestsRequired();
	}

	private static boolean chromiumInstalled() {
		return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
	}

	private static boolean browserTestsRequired() {
		return "true".equalsIgnoreCase(System.getenv("XREF_BROWSER_TESTS_REQUIRED"));
	}

	@BeforeAll
	static void requireChromium() throws IOException {
		assertThat(chromiumInstalled())
			.as("XREF_BROWSER_TESTS_REQUIRED=true but %s or %s is missing", CHROMIUM, CHROMEDRIVER)
			.isTrue();
		// Selenium Manager must never try to download a browser or a driver.
		System.setProperty("SE_OFFLINE", "true");
		FileSystemUtils.deleteRecursively(SCREENSHOTS);
		Files.createDirectories(SCREENSHOTS);
	}

	/**
	 * The scheduled ticks of the health check claim nothing here, so that the operator's
	 * round is the one that finds the revocation: a tick could otherwise find it first,
	 * at a moment that no test decides. A round run now claims all connections with an
	 * interval of its own.
	 */
	@BeforeEach
	void noScheduledChecks() {
		willReturn(List.of()).given(this.accountStore)
			.claimForCheck(any(), eq(this.healthCheck.getInterval()), anyInt());
	}

	@BeforeEach
	void startBrowser() throws IOException {
		this.userDataDir = Files.createTempDirectory("sample-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--window-size=1200,900", "--user-data-dir=" + this.userDataDir);
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File(CHROMEDRIVER.toString()))
			.usingAnyFreePort()
			.build();
		this.driver = new ChromeDriver(service, options);
		this.wait = new WebDriverWait(this.driver, Duration.ofSeconds(20));
	}

	@AfterEach
	void stopBrowser() throws IOException {
		if (this.driver != null) {
			this.driver.quit();
		}
		FileSystemUtils.deleteRecursively(this.userDataDir);
	}

	@Test
	void connectVerifyShareDenyRevokeReconnectAndDisconnect() {
		// alice connects acme's Xref account
		logIn("alice");
		assertThat(text("tenant")).isEqualTo("acme");
		assertThat(isPresent("not-connected")).isTrue();
		screenshot("alice-not-connected");
		clickAndWait(By.id("connect"), ExpectedConditions.visibilityOfElementLocated(By.id("allow")));
		assertThat(this.driver.findElement(By.id("xref-account")).getDomProperty("value")).isEqualTo(ACCOUNT_ID);
		screenshot("xref-consent");
		clickAndWait(By.id("allow"), ExpectedConditions.visibilityOfElementLocated(By.id("xref-account-id")));
		assertThat(text("notice")).isEqualTo(Notice.CONNECTED.getText());
		assertThat(text("xref-account-id")).isEqualTo(ACCOUNT_ID);
		assertThat(text("connected-by")).isEqualTo("alice");
		assertThat(text("connected-at")).endsWith("UTC");
		screenshot("alice-connected");
		verify(Notice.VERIFIED);
		screenshot("alice-verified");
		logOut();

		// bob, in the same tenant, sees the same connection
		logIn("bob");
		assertThat(text("xref-account-id")).isEqualTo(ACCOUNT_ID);
		assertThat(text("connected-by")).isEqualTo("alice");
		screenshot("bob-sees-connection");
		logOut();

		// carol's tenant has none, and her denial at Xref connects nothing
		logIn("carol");
		assertThat(text("tenant")).isEqualTo("globex");
		assertThat(isPresent("not-connected")).isTrue();
		screenshot("carol-not-connected");
		clickAndWait(By.id("connect"), ExpectedConditions.visibilityOfElementLocated(By.id("deny")));
		clickAndWait(By.id("deny"), ExpectedConditions.visibilityOfElementLocated(By.id("notice")));
		assertThat(text("notice")).startsWith("You denied").isEqualTo(Notice.DENIED.getText());
		assertThat(this.driver.getCurrentUrl()).endsWith("/?xref_error=access_denied");
		assertThat(isPresent("not-connected")).isTrue();
		screenshot("carol-denied");

		// the account is revoked at Xref, through the simulator's page the dashboard
		// links to
		String simulatorUrl = this.driver.findElement(By.id("simulator")).getDomAttribute("href");
		logOut();
		this.driver.get(simulatorUrl);
		By revoke = By.xpath("//li[code='" + ACCOUNT_ID + "']//button[contains(@class, 'revoke')]");
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(revoke));
		screenshot("xref-simulator");
		clickAndWait(revoke, ExpectedConditions.presenceOfElementLocated(By.id("accounts")));
		assertThat(this.driver.findElements(revoke)).isEmpty();
		screenshot("xref-revoked");

		// the operator runs a health round now, which finds the revoked token
		logIn("operator");
		clickAndWait(By.id("health-round"), ExpectedConditions.visibilityOfElementLocated(By.id("notice")));
		assertThat(text("notice")).isEqualTo("Health round: 1 checked, 1 broken, 0 could not be checked.");
		screenshot("operator-health-round");
		logOut();

		// alice's tenant needs a reconnect: when, and found by the health check
		logIn("alice");
		assertThat(isPresent("reconnect-needed")).isTrue();
		assertThat(isPresent("not-connected")).isFalse();
		assertThat(text("xref-account-id")).isEqualTo(ACCOUNT_ID);
		assertThat(text("connected-by")).isEqualTo("alice");
		assertThat(text("rejected-at")).endsWith("UTC");
		assertThat(text("found-by")).isEqualTo("found by the health check");
		assertThat(text("activity")).contains("Xref rejected the token of Xref account " + ACCOUNT_ID
				+ ", found by the health check: a reconnect is needed");
		screenshot("alice-reconnect-needed");

		// alice reconnects: connected again, and the activity shows the restore
		clickAndWait(By.id("reconnect"), ExpectedConditions.visibilityOfElementLocated(By.id("allow")));
		clickAndWait(By.id("allow"), ExpectedConditions.visibilityOfElementLocated(By.id("connected")));
		assertThat(text("notice")).isEqualTo(Notice.CONNECTED.getText());
		assertThat(text("xref-account-id")).isEqualTo(ACCOUNT_ID);
		assertThat(isPresent("reconnect-needed")).isFalse();
		assertThat(text("activity")).contains("Reconnected Xref account " + ACCOUNT_ID + " by alice: it works again");
		screenshot("alice-restored");

		// revoked at Xref once more: this time the platform learns of it on the next call
		this.driver.get(simulatorUrl);
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(revoke));
		clickAndWait(revoke, ExpectedConditions.presenceOfElementLocated(By.id("accounts")));
		assertThat(this.driver.findElements(revoke)).isEmpty();
		this.driver.get("http://localhost:" + APP_PORT + "/");
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("connected")));
		assertThat(text("xref-account-id")).isEqualTo(ACCOUNT_ID);
		verify(Notice.REVOKED);
		assertThat(isPresent("reconnect-needed")).isTrue();
		assertThat(text("found-by")).isEqualTo("found by Verify");
		assertThat(text("activity")).contains(
				"Xref rejected the token of Xref account " + ACCOUNT_ID + ", found by Verify: a reconnect is needed");
		assertThat(isPresent("not-connected")).isFalse();
		screenshot("alice-verify-after-revoke");

		// alice reconnects and disconnects: gone for alice and bob
		clickAndWait(By.id("reconnect"), ExpectedConditions.visibilityOfElementLocated(By.id("allow")));
		clickAndWait(By.id("allow"), ExpectedConditions.visibilityOfElementLocated(By.id("connected")));
		assertThat(text("xref-account-id")).isEqualTo(ACCOUNT_ID);
		assertThat(text("activity")).contains("Reconnected Xref account " + ACCOUNT_ID + " by alice: it works again");
		screenshot("alice-reconnected");
		int deauthorizeCalls = this.simulator.requests("/oauth/deauthorize").size();
		clickAndWait(By.id("disconnect"), ExpectedConditions.textToBe(By.id("notice"), Notice.DISCONNECTED.getText()));
		assertThat(isPresent("not-connected")).isTrue();
		assertThat(this.simulator.requests("/oauth/deauthorize")).hasSize(deauthorizeCalls + 1);
		screenshot("alice-disconnected");
		logOut();
		logIn("bob");
		assertThat(isPresent("not-connected")).isTrue();
		assertThat(isPresent("connected")).isFalse();
		screenshot("bob-not-connected");

		// the Actuator endpoint counts across tenants: an end user may not read it, the
		// operator finds it on the dashboard
		this.driver.get("http://localhost:" + APP_PORT + "/actuator/xref");
		this.wait.until((driver) -> driver.getPageSource().contains("403"));
		assertThat(this.driver.getPageSource()).doesNotContain("connectOutcomes");
		screenshot("bob-forbidden-endpoint");
		this.driver.get("http://localhost:" + APP_PORT + "/");
		this.wait.until(ExpectedConditions.textToBe(By.id("user"), "bob"));
		logOut();
		logIn("operator");
		assertThat(isPresent("no-tenant")).isTrue();
		assertThat(isPresent("connect")).isFalse();
		screenshot("operator-dashboard");
		clickAndWait(By.id("xref-endpoint"), (driver) -> driver.getPageSource().contains("connectOutcomes"));
		assertThat(this.driver.getPageSource()).contains("\"connected\":3", "\"access_denied\":1",
				"\"connectedAccounts\":0");
		screenshot("operator-endpoint");
	}

	private void logIn(String username) {
		this.driver.get("http://localhost:" + APP_PORT + "/");
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
		this.driver.findElement(By.id("username")).sendKeys(username);
		this.driver.findElement(By.id("password")).sendKeys(SampleSecurityConfiguration.DEMO_PASSWORD);
		clickAndWait(By.cssSelector("button[type=submit]"), ExpectedConditions.textToBe(By.id("user"), username));
	}

	private void logOut() {
		clickAndWait(By.id("logout"), ExpectedConditions.urlContains("/login?logout"));
	}

	private void verify(Notice expected) {
		clickAndWait(By.id("verify"), ExpectedConditions.textToBe(By.id("notice"), expected.getText()));
	}

	/**
	 * Clicks an element and waits until the next page is loaded and meets the condition,
	 * so that nothing is read from the page before.
	 */
	private void clickAndWait(By locator, Function<WebDriver, ?> condition) {
		WebElement page = this.driver.findElement(By.tagName("html"));
		this.wait.until((driver) -> click(driver, locator));
		this.wait.until((driver) -> isReplaced(page));
		this.wait.until(condition);
	}

	/**
	 * Clicks an element, or returns {@code false} when Chromium replaced it between
	 * finding and clicking (a click that failed did not happen, so it may be repeated).
	 */
	private static boolean click(WebDriver driver, By locator) {
		try {
			driver.findElement(locator).click();
			return true;
		}
		catch (WebDriverException ex) {
			if (isDetached(ex)) {
				return false;
			}
			throw ex;
		}
	}

	/**
	 * Whether the page that held the element has been replaced by the next one.
	 */
	private static boolean isReplaced(WebElement element) {
		try {
			element.isEnabled();
			return false;
		}
		catch (WebDriverException ex) {
			if (isDetached(ex)) {
				return true;
			}
			throw ex;
		}
	}

	/**
	 * Chromium reports an element of a replaced page either as stale or, while the next
	 * page loads, as a node that "does not belong to the document".
	 */
	private static boolean isDetached(WebDriverException ex) {
		return ex instanceof StaleElementReferenceException
				|| String.valueOf(ex.getMessage()).contains("does not belong to the document");
	}

	private String text(String id) {
		return this.driver.findElement(By.id(id)).getText();
	}

	private boolean isPresent(String id) {
		return !this.driver.findElements(By.id(id)).isEmpty();
	}

	private void screenshot(String name) {
		byte[] png = ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.BYTES);
		try {
			Files.write(SCREENSHOTS.resolve("%02d-%s.png".formatted(++this.step, name)), png);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int freePort(int other) {
		while (true) {
			try (ServerSocket socket = new ServerSocket(0)) {
				if (socket.getLocalPort() != other) {
					return socket.getLocalPort();
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

}
