package io.cloudelements.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.cloudelements.operator.api.CampaignMonitorInstance;
import io.cloudelements.operator.testing.InstanceYaml;
import io.cloudelements.operator.testing.OperatorStack;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The consent in a real browser: Debian's headless Chromium, driven through its chromedriver with
 * Selenium, opens the consent URL the resource publishes, approves on the (simulated) provider
 * page, follows the redirect to the operator's callback and sees the approval page; then the
 * resource is Ready. Outside CI a machine without Chromium skips it; in CI ({@code CI=true}, as
 * {@code .ci/run} sets) a missing browser fails it.
 */
class ConsentBrowserIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private static OperatorStack stack;

  @BeforeAll
  static void start() {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!installed) {
      String missing =
          "Chromium or chromedriver is missing ("
              + CHROMIUM
              + ", "
              + CHROMEDRIVER
              + "); install them with: apt-get install -y chromium chromium-driver";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(missing);
      }
      Assumptions.abort(missing);
    }
    stack = OperatorStack.builder().namespace("browser").start();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aPersonApprovesInChromiumAndTheResourceBecomesReady() {
    stack.credentials("story-account");
    stack.createSecret(
        "story-app",
        Map.of(
            "consumerKey",
            stack.canary("consumer-key"),
            "consumerSecret",
            stack.canary("consumer-secret")));
    stack.apply(InstanceYaml.consent("story", "story", stack.callbackUrl(), ""));
    String consentUrl =
        stack.awaitReason("story", "AwaitingConsent").getStatus().getAuthorization().getUrl();

    WebDriver browser = chromium();
    try {
      browser.get(consentUrl);
      assertThat(browser.getTitle()).contains("allow access");
      browser.findElement(By.id("approve")).click();

      assertThat(browser.getCurrentUrl()).startsWith(stack.callbackUrl());
      assertThat(browser.findElement(By.tagName("body")).getText())
          .isEqualTo(
              "Campaign Monitor access approved for browser/story. You can close this window.");
    } finally {
      browser.quit();
    }

    CampaignMonitorInstance ready = stack.awaitReason("story", "Available", Duration.ofSeconds(30));
    assertThat(stack.remoteOf(ready)).hasSize(1);
    assertThat(stack.secret("story-instance")).isPresent();
  }

  private static WebDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--user-data-dir="
            + new File(
                System.getProperty("java.io.tmpdir"),
                "consent-browser-" + ProcessHandle.current().pid()));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }
}
