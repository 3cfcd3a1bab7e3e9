package dev.tokenwatch.app;

import dev.tokenwatch.domain.BudgetCharge;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackResult;
import dev.tokenwatch.domain.Usage;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tokenwatch track}: records one event. */
@Command(name = "track", description = {
    "Records the token usage of one LLM call.",
    "Prints each budget's usage; an alert it raises goes to the configured notifiers."})
final class TrackCommand implements Callable<Integer> {

  /** The earliest {@code --at}: no LLM call is older, and stores need not handle years like -999999999. */
  static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model that served the call.")
  String model;

  @Option(names = "--input", required = true, paramLabel = "N", description = "Input (prompt) tokens.")
  long input;

  @Option(names = "--output", required = true, paramLabel = "N", description = "Output (completion) tokens.")
  long output;

  @Option(names = "--cache-creation", paramLabel = "N", description = "Prompt tokens written to a cache.")
  long cacheCreation;

  @Option(names = "--cache-read", paramLabel = "N", description = "Prompt tokens read from a cache.")
  long cacheRead;

  @Option(names = "--total", paramLabel = "N",
      description = "Tokens charged, if more than the sum of the parts (the default).")
  Long total;

  @Option(names = "--request-id", paramLabel = "ID",
      description = "Identifies the call: tracking it again counts it once.")
  String requestId;

  @Option(names = "--at", paramLabel = "ISO-8601",
      description = "When the call happened, e.g. 2026-11-28T10:15:30Z (default: now); from 2000-01-01 to "
          + "5 minutes from now.")
  String at;

  @Mixin
  DimensionOptions dimensions;

  TrackCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    TokenUsageEvent event = event();
    TokenTracker tracker = context.application().tracker();
    TrackResult result;
    try {
      result = tracker.track(event);
    } catch (IllegalArgumentException e) {
      // The tracker rejects events stamped too far in the future; store failures are StoreExceptions.
      throw new ParameterException(spec.commandLine(), "--at: " + e.getMessage());
    }
    // one budget: its usage on the line; several: a line each below it
    String usage = result.budgets().size() == 1 ? usage(result.budgets().get(0)) : "";
    String line = switch (result.outcome()) {
      case RECORDED -> "Tracked " + Format.tokens(event.totalTokens()) + " tokens for " + event.model()
          + describeDimensions(event) + ":" + usage;
      case REPLACED -> "Tracked " + Format.tokens(event.totalTokens()) + " tokens for " + event.model()
          + describeDimensions(event) + ", replacing the earlier record of request " + event.requestId() + ":"
          + usage;
      case DUPLICATE -> "Request " + event.requestId() + " was already counted; nothing added:" + usage;
      case BEFORE_RETENTION -> "Not tracked: " + event.timestamp() + " lies before the store's retained usage ("
          + tracker.retainedFrom() + "):" + usage;
    };
    if (result.budgets().size() > 1) {
      int width = result.budgets().stream().mapToInt(b -> b.budget().name().length()).max().orElse(0);
      StringBuilder lines = new StringBuilder(line);
      for (BudgetCharge charge : result.budgets()) {
        lines.append(String.format(Locale.ROOT, "\n  %-" + width + "s ", charge.budget().name()))
            .append(usage(charge)).append(charge.budget().scope().matches(event) ? "" : " (not in its scope)");
      }
      line = lines.toString();
    }
    context.out().println(line);
    return ExitCodes.OK;
  }

  /** " 5,500 of 10,000 tokens used (55.0%), 4,500 remaining": a budget's usage after the event. */
  static String usage(BudgetCharge charge) {
    Usage usage = charge.usage();
    String unpriced = usage.unit() == BudgetUnit.USD && usage.counts().unpricedCalls() > 0
        ? "; " + Format.unpriced(usage.counts()) + " this period not counted" : "";
    return " " + usage.usedOfLimit() + " used (" + Format.percent(usage.percentage()) + "), "
        + Format.amount(usage.unit(), usage.remaining()) + " remaining" + unpriced;
  }

  /** " (project app, session s-1, tags env=ci team=core)", or "" without dimensions. */
  static String describeDimensions(TokenUsageEvent event) {
    StringBuilder text = new StringBuilder();
    if (event.project() != null) {
      text.append("project ").append(event.project());
    }
    if (event.session() != null) {
      text.append(text.isEmpty() ? "" : ", ").append("session ").append(event.session());
    }
    if (!event.tags().isEmpty()) {
      text.append(text.isEmpty() ? "" : ", ").append("tags ").append(event.tags().entrySet().stream()
          .map(e -> e.getKey() + '=' + e.getValue()).collect(Collectors.joining(" ")));
    }
    return text.isEmpty() ? "" : " (" + text + ')';
  }

  private TokenUsageEvent event() {
    Instant now = context.env().clock().now();
    Instant timestamp = at == null ? now : parseTime(at, now);
    SortedMap<String, String> tags = dimensions.tags(spec.commandLine());
    TokenUsageEvent.Builder builder = TokenUsageEvent.builder(model).inputTokens(input).outputTokens(output)
        .cacheCreationTokens(cacheCreation).cacheReadTokens(cacheRead).timestamp(timestamp).requestId(requestId)
        .project(dimensions.project).session(dimensions.session).tags(tags);
    if (total != null) {
      builder.totalTokens(total);
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      String option = message.startsWith("project") ? "--project: " : message.startsWith("session") ? "--session: " : "";
      throw new ParameterException(spec.commandLine(), option.isEmpty() ? "Invalid event: " + message
          : option + message);
    }
  }

  /** {@code --at} as an instant from 2000-01-01 to 5 minutes from {@code now}. */
  private Instant parseTime(String text, Instant now) {
    Instant time;
    try {
      time = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      throw new ParameterException(spec.commandLine(),
          "--at must be an ISO-8601 date-time with offset such as 2026-11-28T10:15:30Z, got \"" + text + "\"");
    }
    if (time.isBefore(EARLIEST)) {
      throw new ParameterException(spec.commandLine(),
          "--at must not be before " + EARLIEST + ", got \"" + text + "\"");
    }
    if (time.isAfter(now.plus(TokenTracker.MAX_CLOCK_SKEW))) {
      throw new ParameterException(spec.commandLine(), "--at must not be more than "
          + TokenTracker.MAX_CLOCK_SKEW.toMinutes() + " minutes in the future (now " + now + "), got \"" + text + "\"");
    }
    return time;
  }
}
