package dev.tokenwatch.app.cli;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --project}, {@code --session} and repeatable {@code --tag KEY=VALUE}, shared by {@code
 * track}, {@code ingest}, {@code reserve} and {@code commit} (a picocli mixin). Values are checked as events check them; a bad one
 * is a usage error naming the option and the value.
 */
final class DimensionOptions {

  @Option(names = "--project", paramLabel = "PROJECT", description = "Project the usage is for (a name or a directory).")
  String project;

  @Option(names = "--session", paramLabel = "SESSION", description = "Session (conversation, job) the usage belongs to.")
  String session;

  @Option(names = "--tag", paramLabel = "KEY=VALUE",
      description = "A free dimension such as team=search; repeatable, at most " + TokenUsageEvent.MAX_TAGS
          + ". Keys: lower-case letters, digits, _ . - (starting with a letter), up to 32 characters.")
  List<String> tags = List.of();

  /** The tags by key, checked. */
  SortedMap<String, String> tags(CommandLine commandLine) {
    return parseTags(tags, commandLine);
  }

  /**
   * {@code --tag KEY=VALUE} values by key, checked as events check them (also by {@code report}'s
   * filter); a bad one is a usage error naming {@code --tag} and the value.
   */
  static SortedMap<String, String> parseTags(List<String> tags, CommandLine commandLine) {
    SortedMap<String, String> parsed = new TreeMap<>();
    for (String tag : tags) {
      int eq = tag.indexOf('=');
      if (eq < 0) {
        throw new ParameterException(commandLine, "--tag must be KEY=VALUE such as team=search, got \"" + tag + '"');
      }
      String key = tag.substring(0, eq);
      String value = tag.substring(eq + 1);
      try {
        TokenUsageEvent.requireValidTag(key, value);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(commandLine, "--tag \"" + tag + "\": " + e.getMessage());
      }
      if (parsed.put(key, value) != null) {
        throw new ParameterException(commandLine, "--tag " + key + " is given twice, the second time as \"" + tag + '"');
      }
    }
    if (parsed.size() > TokenUsageEvent.MAX_TAGS) {
      throw new ParameterException(commandLine, "--tag may be given at most " + TokenUsageEvent.MAX_TAGS
          + " times, got " + parsed.size() + ' ' + parsed.keySet());
    }
    return parsed;
  }
}
