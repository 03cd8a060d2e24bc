package io.leadsync.app;

import io.leadsync.app.cli.Server;
import io.leadsync.sandbox.SandboxDataGenerator;
import io.leadsync.sandbox.hubspot.HubSpotSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser (headless Chromium driven through ChromeDriver): sign in with a token, trigger a
 * run and see it appear, open a profile, and save a screenshot ({@code app/target/dashboard.png}; the README's picture
 * is one of these). Needs Debian's {@code chromium} and {@code chromium-driver}, which {@code .ci/run} installs: on a
 * machine without them the test is skipped with a message, except in CI ({@code CI=true}), where it fails.
 */
class DashboardBrowserIT {
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("LEADSYNC_CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("LEADSYNC_CHROMEDRIVER",
            "/usr/bin/chromedriver"));

    @TempDir
    Path dir;
    private HubSpotSimulator hubspot;
    private Server server;
    private WebDriver browser;

    @BeforeEach
    void start() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run the browser test: " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing; .ci/run installs them (apt-get install chromium chromium-driver)");
        }
        Assumptions.assumeTrue(present, "skipped: no headless Chromium here (" + CHROMIUM + ", " + CHROMEDRIVER
                + "); install Debian's chromium and chromium-driver, or set LEADSYNC_CHROMIUM and"
                + " LEADSYNC_CHROMEDRIVER");
        hubspot = HubSpotSimulator.start(HubSpotSimulator.Options.defaults().withoutRateLimits());
        hubspot.seed(new SandboxDataGenerator(31).generate(80, Instant.now()));
        Path config = AppFixture.config(dir, hubspot.baseUrl().toString(), HubSpotSimulator.Options.DEFAULT_TOKEN,
                "jdbc:h2:file:" + dir.resolve("db/leadsync"), "0 0 3 * * ?");
        server = Server.start(config, Map.of("micronaut.server.port", 0));

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,2200", "--user-data-dir=" + dir.resolve("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (hubspot != null) {
            hubspot.close();
        }
    }

    @Test
    void signsInTriggersARunSeesItAndOpensAProfile() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        String base = "http://127.0.0.1:" + server.port();
        browser.get(base + "/dashboard");

        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(browser.findElement(By.id("main")).isDisplayed()).as("nothing shows before sign-in").isFalse();
        browser.findElement(By.id("token")).sendKeys("not-a-token-of-this-service");
        browser.findElement(By.cssSelector("#sign-in button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "not one of"));

        browser.findElement(By.id("token")).sendKeys(AppFixture.ADMIN_TOKEN);
        browser.findElement(By.cssSelector("#sign-in button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "test-admin (admin)"));
        Cookie session = browser.manage().getCookieNamed("leadsync_session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getValue()).doesNotContain(AppFixture.ADMIN_TOKEN);
        assertThat(browser.getCurrentUrl()).doesNotContain(AppFixture.ADMIN_TOKEN);
        assertThat(browser.findElement(By.id("token")).getAttribute("value")).isEmpty();

        WebElement runNow = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.run-now")));
        runNow.click();
        WebElement run = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#runs tbody tr[data-status='SUCCEEDED']")));
        assertThat(run.getText()).contains("full-sync");
        assertThat(Integer.parseInt(run.findElements(By.tagName("td")).get(5).getText())).as("records pulled: the 80"
                + " contacts and their engagements").isGreaterThan(80);
        wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#grades .bar"), 0));
        wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#top-reasons li"), 0));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("conversion"), "No outcome configured"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("connectors"), "UP"));

        String email = hubspot.contacts().get(0).properties().get("email");
        browser.findElement(By.id("profile-query")).sendKeys(email);
        browser.findElement(By.cssSelector("#profile-search button")).click();
        WebElement result = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#profile-results li[data-profile]")));
        result.click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("profile")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("profile-score"), "Score "));
        assertThat(browser.findElement(By.id("golden")).getText()).contains(email).contains("hubspot-main:");

        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "dashboard.png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(target)).isGreaterThan(10_000);

        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        assertThat(browser.manage().getCookieNamed("leadsync_session")).isNull();
    }
}
