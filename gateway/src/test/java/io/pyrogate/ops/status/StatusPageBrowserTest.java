package io.pyrogate.ops.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pyrogate.testing.Chromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The status page in a real browser (Debian's headless chromium): it loads with no asset from
 * elsewhere, its script refreshes it from {@code /api/status}, it lists each endpoint with its
 * state, and it shows an endpoint going down and coming back. Skipped, saying why, where chromium
 * is missing or cannot start.
 *
 * <p>{@code -Dpyrogate.screenshots=../docs} also saves the README's screenshots there:
 * status-page.png (1280 × 1000) and status-page-mobile.png (a phone's 390 px width).
 */
class StatusPageBrowserTest {
  private static final Pattern STATE = Pattern.compile("data-f=\"state\"[^>]*>([^<]*)<");

  @BeforeAll
  static void browser() {
    Optional<String> unavailable = Chromium.unavailable();
    assumeTrue(
        unavailable.isEmpty(), () -> "status page browser test skipped: " + unavailable.get());
  }

  @Test
  void listsEachEndpointWithItsStateAndShowsOneGoingDownAndComingBack() {
    try (StatusGateway g = new StatusGateway()) {
      g.push(3);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                String dom = Chromium.dumpDom(g.managementUrl());
                assertThat(state(dom, "a")).isEqualTo("delivering");
                assertThat(state(dom, "b")).isEqualTo("delivering");
                assertThat(dom)
                    .as("the script refreshed the page from /api/status")
                    .containsPattern("id=\"refreshed\">updated \\d\\d:\\d\\d:\\d\\d UTC<");
              });

      g.b.respondWith(503, "down for maintenance");
      g.push(2);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                String dom = Chromium.dumpDom(g.managementUrl());
                assertThat(state(dom, "b")).isIn("in outage", "backing off");
                assertThat(card(dom, "b")).contains("HTTP 503").contains("down for maintenance");
                assertThat(state(dom, "a")).isEqualTo("delivering");
              });

      g.b.respondWith(200, "");
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () ->
                  assertThat(state(Chromium.dumpDom(g.managementUrl()), "b"))
                      .isEqualTo("delivering"));
    }
  }

  /**
   * Not a check: saves the README's screenshots, of a gateway with one endpoint delivering and one
   * in outage.
   */
  @Test
  @EnabledIfSystemProperty(named = "pyrogate.screenshots", matches = ".+")
  void savesScreenshots() throws Exception {
    Path docs = Path.of(System.getProperty("pyrogate.screenshots"));
    Files.createDirectories(docs);
    try (StatusGateway g = new StatusGateway()) {
      g.b.respondWith(503, "upstream connect error or disconnect/reset before headers");
      g.a.refuseWhen(body -> body.length % 7 == 0, 400, "invalid profile: no sample types");
      g.push(40);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  StatusGateway.endpointOf(g.status(), "b").getString("state").equals("outage")
                      && StatusGateway.endpointOf(g.status(), "b").getDouble("lagRecords") > 0);
      g.push(20);
      Chromium.screenshot(g.managementUrl(), docs.resolve("status-page.png"), 1280, 1000);
      Chromium.screenshot(g.managementUrl(), docs.resolve("status-page-mobile.png"), 390, 1600);
    }
  }

  private static String card(String dom, String endpoint) {
    Matcher m =
        Pattern.compile(
                "data-endpoint=\"" + Pattern.quote(endpoint) + "\">(.*?)</article>", Pattern.DOTALL)
            .matcher(dom);
    assertThat(m.find()).as("the page lists endpoint %s", endpoint).isTrue();
    return m.group(1);
  }

  private static String state(String dom, String endpoint) {
    Matcher m = STATE.matcher(card(dom, endpoint));
    assertThat(m.find()).as("endpoint %s shows its state", endpoint).isTrue();
    return m.group(1);
  }
}
