package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.env.AppEnvironment;
import dev.tokenwatch.app.wiring.Application;
import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.config.SourceConfig;
import dev.tokenwatch.ingest.IngestSummary;
import dev.tokenwatch.ingest.Ingestor;
import dev.tokenwatch.ingest.LogFormat;
import dev.tokenwatch.ingest.TextProgressBar;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configured usage sources ({@link AppConfig#sources()}) as ingest runs: the ones that exist,
 * grouped by format (one {@link Ingestor} run per format), with the offsets of {@code ingest} so a
 * run reads only what was appended since the last one. One rule for a bare {@code ingest} and for
 * what {@code report}, {@code status} and {@code check} read first ({@link ImplicitIngest}).
 */
final class Sources {

  /** The source types the configuration accepts: the formats ingest reads, by their names. */
  static final List<String> TYPES = Arrays.stream(LogFormat.values()).map(LogFormat::label).toList();

  private Sources() {}

  /** Sources of one format: one ingestor run. */
  record Group(LogFormat format, List<SourceConfig> sources) {
    /** The paths as the ingestor takes them. */
    List<String> inputs() {
      return sources.stream().map(s -> s.path().toString()).toList();
    }

    /** "~/.claude/projects, /var/log/api" for messages. */
    String describe() {
      return String.join(", ", inputs());
    }
  }

  /**
   * The sources to read now.
   *
   * @param groups the existing sources by format, in the order of their first source
   * @param missing configured (not default) sources whose path does not exist
   */
  record Selection(List<Group> groups, List<SourceConfig> missing) {}

  /** The sources of {@code sources} that exist, by format; a missing default is left out silently. */
  static Selection select(List<SourceConfig> sources) {
    Map<LogFormat, List<SourceConfig>> byFormat = new LinkedHashMap<>();
    List<SourceConfig> missing = new ArrayList<>();
    for (SourceConfig source : sources) {
      if (Files.exists(source.path())) {
        List<SourceConfig> group = byFormat.computeIfAbsent(LogFormat.parse(source.type()), f -> new ArrayList<>());
        if (!group.contains(source)) {
          group.add(source);
        }
      } else if (!source.optional()) {
        missing.add(source);
      }
    }
    List<Group> groups = new ArrayList<>();
    byFormat.forEach((format, group) -> groups.add(new Group(format, group)));
    return new Selection(groups, missing);
  }

  /**
   * An ingestor of {@code format} for the application's tracker, with the environment's clock and
   * stdin, the offsets directory of the configuration and, when stderr is a terminal and {@code
   * progress} is wanted, a progress bar there.
   */
  static Ingestor.Builder ingestor(Application application, AppEnvironment env, java.io.PrintStream err,
      LogFormat format, boolean progress) {
    Ingestor.Builder builder = Ingestor.builder(application.tracker())
        .format(format)
        .clock(env.clock())
        .stdin(env.stdin());
    IngestStateLocation.of(application.config()).ifPresent(builder::stateDirectory);
    if (progress && env.stderrIsTerminal()) {
      builder.progressListener(new TextProgressBar(err));
    }
    return builder;
  }

  /**
   * Runs {@code ingestor} over {@code inputs} once as a resource of the application, so Ctrl-C
   * stops it (applying what was read and saving the offsets) before the store is closed.
   */
  static IngestSummary ingestOnce(Application application, Ingestor ingestor, List<String> inputs) {
    IngestCommand.RunningIngest running = application.register("the ingest run", new IngestCommand.RunningIngest(ingestor));
    try {
      return ingestor.ingest(inputs);
    } finally {
      running.finished();
    }
  }
}
