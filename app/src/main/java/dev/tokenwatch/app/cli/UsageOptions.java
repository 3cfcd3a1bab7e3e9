package dev.tokenwatch.app.cli;

import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The usage of one LLM call as options ({@code --model}, {@code --input}, {@code --output}, the
 * cache counts, {@code --total}, {@code --request-id}, {@code --at}), shared by {@code track} and
 * {@code commit} (a picocli mixin). A bad value is a usage error naming the option and the value.
 */
final class UsageOptions {

  /** The earliest {@code --at}: no LLM call is older, and stores need not handle years like -999999999. */
  static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model that served the call.")
  String model;

  @Option(names = "--input", required = true, paramLabel = "N", converter = WholeNumbers.Tokens.class,
      description = "Input (prompt) tokens.")
  long input;

  @Option(names = "--output", required = true, paramLabel = "N", converter = WholeNumbers.Tokens.class,
      description = "Output (completion) tokens.")
  long output;

  @Option(names = "--cache-creation", paramLabel = "N", converter = WholeNumbers.Tokens.class,
      description = "Prompt tokens written to a cache.")
  long cacheCreation;

  @Option(names = "--cache-read", paramLabel = "N", converter = WholeNumbers.Tokens.class,
      description = "Prompt tokens read from a cache.")
  long cacheRead;

  @Option(names = "--total", paramLabel = "N", converter = WholeNumbers.Tokens.class,
      description = "Tokens charged, if more than the sum of the parts (the default).")
  Long total;

  @Option(names = "--request-id", paramLabel = "ID",
      description = "Identifies the call: tracking it again counts it once.")
  String requestId;

  @Option(names = "--at", paramLabel = "ISO-8601",
      description = "When the call happened, e.g. 2026-11-28T10:15:30Z (default: now); from 2000-01-01 to "
          + "5 minutes from now.")
  String at;

  /** The event these options and {@code dimensions} describe, stamped {@code --at} or {@code now}. */
  TokenUsageEvent event(DimensionOptions dimensions, Instant now, CommandLine commandLine) {
    Instant timestamp = at == null ? now : parseTime(at, now, commandLine);
    SortedMap<String, String> tags = dimensions.tags(commandLine);
    TokenUsageEvent.Builder builder = TokenUsageEvent.builder(model).inputTokens(input).outputTokens(output)
        .cacheCreationTokens(cacheCreation).cacheReadTokens(cacheRead).timestamp(timestamp).requestId(requestId)
        .project(dimensions.project).session(dimensions.session).tags(tags);
    if (total != null) {
      builder.totalTokens(total);
    }
    return build(builder, commandLine);
  }

  /** The options of the event's fields, for its builder's complaints ("inputTokens must ..." is "--input must ..."). */
  private static final Map<String, String> OPTIONS = Map.of("model", "--model", "inputTokens", "--input",
      "outputTokens", "--output", "cacheCreationTokens", "--cache-creation", "cacheReadTokens", "--cache-read",
      "totalTokens", "--total", "requestId", "--request-id", "project", "--project", "session", "--session");

  /** Builds {@code builder}'s event; its complaint is a usage error naming the option. */
  static TokenUsageEvent build(TokenUsageEvent.Builder builder, CommandLine commandLine) {
    return build(builder, commandLine, Map.of());
  }

  /**
   * As {@link #build(TokenUsageEvent.Builder, CommandLine)}, with {@code renamed} options where a
   * command sets a field from another option ({@code reserve --estimate} sets the output tokens).
   */
  static TokenUsageEvent build(TokenUsageEvent.Builder builder, CommandLine commandLine, Map<String, String> renamed) {
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandLine, optionMessage(e.getMessage(), renamed));
    }
  }

  /** The event's {@code message} in terms of options: its leading field name replaced by the option's. */
  static String optionMessage(String message, Map<String, String> renamed) {
    if (message.startsWith("token counts overflow")) {
      return "the token counts add up to more than " + String.format(Locale.ROOT, "%,d", Long.MAX_VALUE);
    }
    int space = message.indexOf(' ');
    String field = space < 0 ? message : message.substring(0, space);
    String option = renamed.getOrDefault(field, OPTIONS.get(field));
    if (option != null) {
      return option + message.substring(field.length());
    }
    return message.startsWith("tag") ? "--tag: " + message : message;
  }

  /** {@code --at} as an instant from 2000-01-01 to 5 minutes from {@code now}. */
  private static Instant parseTime(String text, Instant now, CommandLine commandLine) {
    Instant time;
    try {
      time = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      throw new ParameterException(commandLine,
          "--at must be an ISO-8601 date-time with offset such as 2026-11-28T10:15:30Z, got \"" + text + "\"");
    }
    if (time.isBefore(EARLIEST)) {
      throw new ParameterException(commandLine, "--at must not be before " + EARLIEST + ", got \"" + text + "\"");
    }
    if (time.isAfter(now.plus(TokenTracker.MAX_CLOCK_SKEW))) {
      throw new ParameterException(commandLine, "--at must not be more than "
          + TokenTracker.MAX_CLOCK_SKEW.toMinutes() + " minutes in the future (now " + now + "), got \"" + text + "\"");
    }
    return time;
  }
}
