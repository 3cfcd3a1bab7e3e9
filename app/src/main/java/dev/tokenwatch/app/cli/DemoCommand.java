package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.view.Format;
import dev.tokenwatch.app.view.StatusView;
import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.config.NotifierConfig;
import dev.tokenwatch.config.StoreConfig;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * {@code tokenwatch demo}: tracks a handful of sample events against a throw-away budget in a
 * temporary state directory, so alerts and status can be seen without any setup or configuration.
 */
@Command(name = "demo", description = {
    "Shows alerts and status on a throw-away budget, without any setup.",
    "Tracks sample events against a 100,000-token budget in a temporary directory",
    "(deleted afterwards), then shows the status. Ignores the configuration."})
final class DemoCommand implements Callable<Integer> {

  static final long DEMO_LIMIT = 100_000;

  /** Model, input, output, cache read, request id: crosses 50, 70, 80 and 100% and repeats one request. */
  private record Sample(String model, long input, long output, long cacheRead, String requestId) {}

  private static final List<Sample> SAMPLES = List.of(
      new Sample("claude-sonnet-4-5", 18_000, 4_000, 6_000, "req-demo-1"),
      new Sample("gpt-4o", 12_000, 3_000, 0, "req-demo-2"),
      new Sample("claude-haiku-4-5", 6_000, 1_500, 500, "req-demo-3"),
      new Sample("claude-sonnet-4-5", 15_000, 5_000, 3_000, "req-demo-4"),
      new Sample("gpt-4o", 12_000, 3_000, 0, "req-demo-2"),
      new Sample("gpt-4o-mini", 7_000, 2_000, 0, "req-demo-5"),
      new Sample("claude-sonnet-4-5", 14_000, 6_000, 2_000, "req-demo-6"));

  private final CliContext context;

  DemoCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws IOException {
    Path stateDirectory = Files.createTempDirectory("tokenwatch-demo-");
    try {
      return run(stateDirectory);
    } finally {
      context.close();
      deleteRecursively(stateDirectory);
    }
  }

  private int run(Path stateDirectory) {
    AppConfig config = demoConfig(stateDirectory);
    var out = context.out();
    out.println("tokenwatch demo: a throw-away " + Format.tokens(DEMO_LIMIT) + "-token monthly budget, "
        + config.store().describe() + " (deleted afterwards); alerts appear on stderr.");
    out.println();
    TokenTracker tracker = context.application(config).tracker();
    Instant now = context.env().clock().now();
    for (int i = 0; i < SAMPLES.size(); i++) {
      Sample sample = SAMPLES.get(i);
      TokenUsageEvent event = TokenUsageEvent.builder(sample.model()).inputTokens(sample.input())
          .outputTokens(sample.output()).cacheReadTokens(sample.cacheRead()).requestId(sample.requestId())
          .timestamp(now.minus(Duration.ofMinutes(SAMPLES.size() - i))).build();
      out.println("$ tokenwatch track --model " + sample.model() + " --input " + sample.input() + " --output "
          + sample.output() + (sample.cacheRead() > 0 ? " --cache-read " + sample.cacheRead() : "")
          + " --request-id " + sample.requestId());
      out.flush();
      TrackResult result = tracker.track(event);
      context.err().flush();
      out.println(result.duplicate()
          ? "  request " + sample.requestId() + " was already counted: nothing added"
          : "  tracked " + Format.tokens(event.totalTokens()) + " tokens, " + Format.percent(result.usage().percentage())
              + " of the budget used");
    }
    out.println();
    out.println("$ tokenwatch status");
    out.print(StatusView.read(tracker.budgets().get(0), context.env().clock().now())
        .text(new Format(context.env().colour())));
    return ExitCodes.OK;
  }

  private static AppConfig demoConfig(Path stateDirectory) {
    TokenBudget budget = TokenBudget.builder().name("demo").limit(DEMO_LIMIT).period(BudgetPeriod.MONTHLY).build();
    return new AppConfig("demo (built in)", Optional.empty(), budget, new StoreConfig.File(stateDirectory.resolve("usage")),
        List.of(new NotifierConfig.Console()), stateDirectory);
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("deleting the demo directory " + directory + " failed", e);
    }
  }
}
