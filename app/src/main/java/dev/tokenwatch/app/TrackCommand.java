package dev.tokenwatch.app;

import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackResult;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tokenwatch track}: records one event. */
@Command(name = "track", description = {
    "Records the token usage of one LLM call.",
    "Prints the budget's usage; an alert it raises goes to the configured notifiers."})
final class TrackCommand implements Callable<Integer> {

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
      description = "When the call happened, e.g. 2026-11-28T10:15:30Z (default: now).")
  String at;

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
    String usage = Format.tokens(result.usage().used()) + " of " + Format.tokens(result.usage().limit())
        + " tokens used (" + Format.percent(result.usage().percentage()) + "), "
        + Format.tokens(result.usage().remaining()) + " remaining";
    String line = switch (result.outcome()) {
      case RECORDED -> "Tracked " + Format.tokens(event.totalTokens()) + " tokens for " + event.model() + ": " + usage;
      case REPLACED -> "Tracked " + Format.tokens(event.totalTokens()) + " tokens for " + event.model()
          + ", replacing the earlier record of request " + event.requestId() + ": " + usage;
      case DUPLICATE -> "Request " + event.requestId() + " was already counted; nothing added: " + usage;
      case BEFORE_RETENTION -> "Not tracked: " + event.timestamp() + " lies before the store's retained usage ("
          + tracker.retainedFrom() + "): " + usage;
    };
    context.out().println(line);
    return ExitCodes.OK;
  }

  private TokenUsageEvent event() {
    Instant timestamp = at == null ? context.env().clock().now() : parseTime(at);
    TokenUsageEvent.Builder builder = TokenUsageEvent.builder(model).inputTokens(input).outputTokens(output)
        .cacheCreationTokens(cacheCreation).cacheReadTokens(cacheRead).timestamp(timestamp).requestId(requestId);
    if (total != null) {
      builder.totalTokens(total);
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "Invalid event: " + e.getMessage());
    }
  }

  private Instant parseTime(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new ParameterException(spec.commandLine(),
          "--at must be an ISO-8601 date-time with offset such as 2026-11-28T10:15:30Z, got \"" + text + "\"");
    }
  }
}
