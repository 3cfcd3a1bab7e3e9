package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ingest --follow --metrics-port}: the meters scraped over loopback while following a log. */
class MetricsEndpointCliTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern URL = Pattern.compile("tokenwatch: metrics at (http://127\\.0\\.0\\.1:\\d+/metrics)");

  @TempDir
  Path dir;

  private CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir);
    cli.config("""
        budget:
          name: team
          limit: 10000
        store:
          type: file
          path: usage
        """);
  }

  /** A Claude Code line of message {@code id}; Claude Code repeats a message's usage on each of its lines. */
  private static String line(String id, long input, long output, long cacheRead) {
    return "{\"type\":\"assistant\",\"timestamp\":\"2026-11-16T09:00:00.000Z\",\"requestId\":\"r-" + id
        + "\",\"message\":{\"id\":\"" + id + "\",\"model\":\"claude-opus-4\",\"usage\":{\"input_tokens\":" + input
        + ",\"output_tokens\":" + output + ",\"cache_read_input_tokens\":" + cacheRead + "}}}\n";
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the sample {@code name} whose labels include each of {@code labels} (k="v" pairs). */
  private static double sample(String scrape, String name, String... labels) {
    for (String row : scrape.split("\n")) {
      if (row.startsWith(name + "{") && java.util.Arrays.stream(labels).allMatch(row::contains)) {
        return Double.parseDouble(row.substring(row.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no sample " + name + " with " + String.join(",", labels) + " in:\n" + scrape);
  }

  /** Scrapes until {@code recorded} events were tracked through the meters. */
  private static String scrapeOnceRecorded(String url, double recorded) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      String scrape = get(url).body();
      if (scrape.contains("tokenwatch_events_total{outcome=\"recorded\"} ")
          && sample(scrape, "tokenwatch_events_total", "outcome=\"recorded\"") >= recorded) {
        return scrape;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never " + recorded + " recorded events; last scrape:\n" + scrape);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void followServesTheMetersOfWhatItTracksUntilStopped() throws Exception {
    cli.write("live/session.jsonl", line("m1", 100, 10, 0) + line("m1", 100, 10, 0) + line("m2", 200, 20, 0));
    CliHarness.Running follow = cli.start("ingest", "--follow", "--metrics-port", "0", "live");
    follow.awaitErr("Ctrl-C stops.", Duration.ofSeconds(20));
    Matcher matcher = URL.matcher(follow.err());
    assertThat(matcher.find()).as(follow.err()).isTrue();
    String url = matcher.group(1);

    scrapeOnceRecorded(url, 2);
    Files.writeString(dir.resolve("live/session.jsonl"), line("m2", 200, 20, 0) + line("m3", 300, 30, 1000),
        StandardOpenOption.APPEND);
    String scrape = scrapeOnceRecorded(url, 3);

    String input = "gen_ai_token_type=\"input\"";
    String model = "gen_ai_request_model=\"claude-opus-4\"";
    assertThat(sample(scrape, "gen_ai_client_token_usage_count", input, model)).isEqualTo(3);
    assertThat(sample(scrape, "gen_ai_client_token_usage_sum", input, model)).as("cache reads are input")
        .isEqualTo(100 + 200 + 300 + 1000);
    assertThat(sample(scrape, "gen_ai_client_token_usage_sum", "gen_ai_token_type=\"output\"", model))
        .isEqualTo(60);
    assertThat(sample(scrape, "tokenwatch_cache_tokens_total", "tokenwatch_cache_type=\"read\"", model))
        .isEqualTo(1000);
    assertThat(sample(scrape, "tokenwatch_events_total", "outcome=\"recorded\"")).isEqualTo(3);
    assertThat(sample(scrape, "tokenwatch_events_total", "outcome=\"duplicate\"")).isEqualTo(2);
    assertThat(sample(scrape, "tokenwatch_budget_used_tokens", "budget=\"team\"")).isEqualTo(1660);
    assertThat(sample(scrape, "tokenwatch_budget_limit_tokens", "budget=\"team\"")).isEqualTo(10000);
    assertThat(sample(scrape, "tokenwatch_budget_ratio", "budget=\"team\"")).isEqualTo(0.166);

    HttpResponse<String> other = get(url.replace("/metrics", "/other"));
    assertThat(other.statusCode()).isEqualTo(404);
    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(get(url).headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");

    follow.context.shutDown(); // what the shutdown hook does on Ctrl-C
    CliHarness.Result stopped = follow.await(Duration.ofSeconds(20));
    assertThat(stopped.exitCode()).as(stopped.err()).isZero();
    assertThat(stopped.err()).containsPattern("(?m)^  events ingested +3$");
    assertThatThrownBy(() -> get(url)).as("the endpoint stops with the run").isInstanceOf(ConnectException.class);
  }

  @Test
  void aPortInUseIsOneLineNamingTheOptionAndPort() throws IOException {
    cli.write("live/session.jsonl", line("m1", 100, 10, 0));
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      CliHarness.Result result = cli.run("ingest", "--follow", "--metrics-port", String.valueOf(port), "live");
      assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(result.err()).isEqualTo("tokenwatch: --metrics-port " + port + ": cannot listen on 127.0.0.1:"
          + port + " (Address already in use); choose another port, or 0 for any free one\n");
    }
    assertThat(cli.run("status", "--json").out()).as("nothing was ingested").contains("\"used\":0,");
  }

  @Test
  void theOptionsAreCheckedBeforeAnythingIsServed() {
    cli.write("log.jsonl", line("m1", 100, 10, 0));
    assertThat(cli.run("ingest", "--metrics-port", "9464", "log.jsonl").err())
        .startsWith("tokenwatch: --metrics-port serves metrics while following: add --follow\n");
    assertThat(cli.run("ingest", "--follow", "--metrics-port", "70000", "log.jsonl").err())
        .startsWith("tokenwatch: --metrics-port must be between 0 and 65535, got 70000\n");
    assertThat(cli.run("ingest", "--follow", "--metrics-host", "0.0.0.0", "log.jsonl").err())
        .startsWith("tokenwatch: --metrics-host applies to --metrics-port, which is not given\n");
    assertThat(cli.run("ingest", "--follow", "--metrics-port", "0", "--metrics-host", "no-such-host.invalid",
        "log.jsonl").err()).startsWith("tokenwatch: --metrics-host no-such-host.invalid: no such host\n");
  }
}
