package dev.orderflow.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person on notification-service's page, in headless Chromium: picks a customer, places an order
 * through the page's form (a cross-origin call to order-service), and watches its notifications arrive.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver}. Without them the test is skipped, except
 * in CI ({@code CI=true}), where it fails.
 */
class BrowserEndToEndTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    static Suite suite;
    static Path profile;
    static WebDriver browser;

    @BeforeAll
    static void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String missing = "The browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (Debian: apt-get install chromium chromium-driver)";
            if ("true".equals(System.getenv("CI"))) {
                fail(missing);
            }
            Assumptions.abort(missing + "; skipped outside CI");
        }
        suite = Suite.get();
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile);
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(driver, options);
        browser.manage().window().setSize(new Dimension(1024, 1100));
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void aPersonPlacesAnOrderOnThePageAndWatchesItGetConfirmedLive() throws IOException {
        try {
            placeAnOrderAndWatchIt();
        } finally {
            // What the page showed, for whoever reads a failure (or wants to see it).
            Path screenshot = Path.of("target", "screenshots", "notification-page.png");
            Files.createDirectories(screenshot.getParent());
            Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        }
    }

    private void placeAnOrderAndWatchIt() {
        String customer = "browser-" + UUID.randomUUID().toString().substring(0, 8);
        browser.get(suite.notifications.baseUrl() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

        WebElement customerId = browser.findElement(By.id("customer-id"));
        customerId.clear();
        customerId.sendKeys(customer);
        browser.findElement(By.id("watch-button")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("connection-state"), "data-state", "live"));
        assertThat(browser.findElements(By.cssSelector("#notifications .notification")))
                .isEmpty();

        WebElement quantity = browser.findElement(By.id("order-quantity"));
        quantity.clear();
        quantity.sendKeys("3");
        browser.findElement(By.id("place-order-button")).click();

        WebElement result =
                wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#order-result.success")));
        assertThat(result.getText()).contains("accepted");
        WebElement confirmed = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#notifications .notification[data-type='ORDER_CONFIRMED']")));
        assertThat(confirmed.getText()).contains("confirmed");

        // Newest first, each once: the confirmation above the placement it follows.
        List<WebElement> shown = browser.findElements(By.cssSelector("#notifications .notification"));
        assertThat(shown)
                .extracting(item -> item.getDomAttribute("data-type"))
                .containsExactly("ORDER_CONFIRMED", "ORDER_PLACED");
        assertThat(shown.get(1).getText()).contains("3 item(s)", "37.50 EUR");
        assertThat(shown)
                .extracting(item -> item.getDomAttribute("data-order-id"))
                .containsOnly(shown.getFirst().getDomAttribute("data-order-id"));
    }
}
