package dev.tokenwatch.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.tokenwatch.domain.BatchResult;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.Clock;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Reads usage logs (OpenAI and Anthropic API responses, Claude Code session logs, tokenwatch's own
 * event JSON; one JSON object per line) and charges them to a {@link TokenTracker} in batches.
 *
 * <p>Inputs are files, directories (walked recursively for {@code *.jsonl} and {@code *.json}, in
 * sorted order) and {@code -} for standard input. Files are parsed in parallel ({@link ReaderPool})
 * with Jackson's streaming parser, skipping message content and lines that cannot carry usage
 * ({@link LinePrefilter}); one thread applies the events through {@link TokenTracker#trackAll} in
 * batches ({@link BatchApplier}), in file order whatever the threads' timing, so alerts fire as
 * during live tracking and the outcome is the same from run to run. Each record's key
 * becomes the event's request id, and the tracker counts a key once (the largest total wins), so
 * ingesting the same lines again changes nothing.
 *
 * <p>With a {@linkplain Builder#stateDirectory state directory}, each file's identity, size and the
 * offset after the last applied line are remembered, and a later run reads only appended bytes. A
 * file that shrank or was replaced is read from the start; a half-written last line is left for the
 * next run. Offsets are saved only after the batch holding their lines was applied.
 *
 * <pre>{@code
 * Ingestor ingestor = Ingestor.builder(tracker).stateDirectory(dataDir.resolve("ingest")).build();
 * IngestSummary summary = ingestor.ingest(List.of(home + "/.claude/projects"));
 * }</pre>
 *
 * <p>Options are immutable; one ingestor may run several times, one run at a time. {@link #stop()}
 * ends the run in progress (typically {@link #follow}) from another thread.
 */
public final class Ingestor {

  /** Default number of events per {@link TokenTracker#trackAll} call. */
  public static final int DEFAULT_BATCH_SIZE = 1_000;
  /** Longest line accepted; longer lines are malformed. */
  public static final int DEFAULT_MAX_LINE_BYTES = 64 << 20;

  /** How long the applying thread waits for more lines before applying a partial batch. */
  private static final long IDLE_FLUSH_MILLIS = 100;

  private final TokenTracker tracker;
  private final LogFormat format;
  private final boolean strict;
  private final int batchSize;
  private final IngestProgressListener progress;
  private final OffsetStore offsets;
  private final Clock clock;
  private final int parallelism;
  private final InputStream stdin;
  private final Duration pollInterval;
  private final int bufferSize;
  private final int maxLineBytes;
  private final JsonFactory json;
  private final IngestDimensions dimensions;
  private final boolean prefilter;
  private final boolean forgetNoUsageLog;
  private final BiConsumer<List<TokenUsageEvent>, BatchResult> onTracked;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private Ingestor(Builder b) {
    this.tracker = b.tracker;
    this.format = b.format;
    this.strict = b.strict;
    this.batchSize = b.batchSize;
    this.progress = b.progress;
    this.offsets = b.stateDirectory == null ? null : new OffsetStore(b.stateDirectory);
    this.clock = b.clock;
    this.parallelism = b.parallelism;
    this.stdin = b.stdin;
    this.pollInterval = b.pollInterval;
    this.bufferSize = b.bufferSize;
    this.maxLineBytes = b.maxLineBytes;
    this.dimensions = new IngestDimensions(b.project, b.session, b.tags);
    this.prefilter = b.prefilter;
    this.forgetNoUsageLog = b.forgetNoUsageLog;
    this.onTracked = b.onTracked;
    this.json = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(b.maxLineBytes).build())
        .build();
  }

  /** A builder for an ingestor that charges events to {@code tracker}. */
  public static Builder builder(TokenTracker tracker) {
    return new Builder(tracker);
  }

  /**
   * Ingests {@code inputs} once and returns what was done.
   *
   * @param inputs files, directories, or {@code -} for standard input
   * @throws IllegalArgumentException if an input does not exist
   * @throws MalformedLineException in strict mode, at the first malformed line
   * @throws IngestStateException if the offsets in the state directory cannot be used
   * @throws UncheckedIOException if an input cannot be read
   */
  public IngestSummary ingest(List<String> inputs) {
    return run(inputs, false);
  }

  /**
   * Ingests {@code inputs}, then keeps watching them like {@code tail -F}: lines appended to files,
   * new files in watched directories, and rotated or truncated files (read again from the start)
   * are ingested as they appear, until {@link #stop()} is called or the calling thread is
   * interrupted. Standard input is read to its end. Returns the summary of the whole run.
   *
   * @throws IllegalArgumentException if an input does not exist at the start
   * @throws MalformedLineException in strict mode, at the first malformed line
   */
  public IngestSummary follow(List<String> inputs) {
    return run(inputs, true);
  }

  /**
   * Stops the run in progress (from any thread, e.g. a shutdown hook): the events read so far are
   * applied, offsets saved, and {@link #ingest} or {@link #follow} returns its summary. A stopped
   * ingestor stays stopped: later runs return at once.
   */
  public void stop() {
    stopped.countDown();
  }

  private boolean stopRequested() {
    return stopped.getCount() == 0 || Thread.currentThread().isInterrupted();
  }

  private IngestSummary run(List<String> inputs, boolean follow) {
    Objects.requireNonNull(inputs, "inputs");
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("inputs must name at least one file, directory or -");
    }
    long startNanos = System.nanoTime();
    Map<String, OffsetStore.FileMark> saved = offsets == null ? new TreeMap<>() : offsets.load();
    IngestRun run = new IngestRun(forgetNoUsageLog ? new TreeMap<>(saved) : saved, startNanos);
    BatchApplier applier = new BatchApplier(tracker, offsets, progress, batchSize, run, onTracked);
    ReaderPool readers = new ReaderPool(parallelism, this::newReader, stdin);
    boolean read = false;
    try {
      pass(SourceScanner.scan(inputs, run.marks, run.seen, false, true), run, applier, readers);
      while (follow && !stopRequested()) {
        if (stopped.await(pollInterval.toMillis(), TimeUnit.MILLISECONDS)) {
          break;
        }
        pass(SourceScanner.scan(inputs, run.marks, run.seen, true, false), run, applier, readers);
      }
      read = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // a stop request: the summary below is the answer
      read = true;
    } finally {
      readers.close();
      if (read && forgetNoUsageLog && run.noUsageLog()) {
        run.marks.clear(); // nothing was counted: the positions as they were before the run
        run.marks.putAll(saved);
        run.dirty = true;
      }
      applier.save(true);
    }
    IngestSummary summary = run.summary(tracker);
    progress.finished(summary);
    return summary;
  }

  /** A reader for one reader thread: its parser, buffer and line filter are reused file after file. */
  private SourceReader newReader() {
    return new SourceReader(new LineParser(json, format, dimensions),
        prefilter ? LinePrefilter.of(format) : LinePrefilter.NONE, clock, batchSize, strict, bufferSize, maxLineBytes);
  }

  /** Reads every source to its current end, applying events in batches; returns when all are done. */
  private void pass(List<Source> sources, IngestRun run, BatchApplier applier, ReaderPool readers)
      throws InterruptedException {
    if (sources.isEmpty()) {
      return;
    }
    for (Source s : sources) {
      run.bytesTotal += s.pendingBytes();
    }
    run.filesRead += sources.size();
    ReaderPool.Pass pass = readers.start(sources);
    try {
      while (!pass.done() && !stopRequested()) {
        Chunk chunk = pass.poll(IDLE_FLUSH_MILLIS);
        if (chunk == null) {
          if (pass.drainingStream()) {
            applier.apply(); // nothing new on standard input for a while: apply what waits
          }
          continue; // a file's batches are cut by their events alone, never by timing
        }
        if (chunk.failure != null) {
          applier.apply();
          if (chunk.failure instanceof Error error) {
            throw error;
          }
          throw (RuntimeException) chunk.failure;
        }
        applier.add(chunk);
        if (chunk.strictStop != null) {
          applier.apply();
          throw new MalformedLineException(chunk.strictStop);
        }
      }
      applier.apply();
    } finally {
      pass.cancel();
    }
    applier.save(false);
  }

  /** Options of an {@link Ingestor}. */
  public static final class Builder {
    private final TokenTracker tracker;
    private LogFormat format = LogFormat.AUTO;
    private boolean strict;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private IngestProgressListener progress = IngestProgressListener.NONE;
    private Path stateDirectory;
    private Clock clock = Clock.system();
    private int parallelism = Math.max(1, Runtime.getRuntime().availableProcessors());
    private InputStream stdin = System.in;
    private Duration pollInterval = Duration.ofMillis(500);
    private int bufferSize = 1 << 20;
    private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;
    private String project;
    private String session;
    private final TreeMap<String, String> tags = new TreeMap<>();
    private boolean prefilter = true;
    private boolean forgetNoUsageLog;
    private BiConsumer<List<TokenUsageEvent>, BatchResult> onTracked = (events, result) -> {};

    private Builder(TokenTracker tracker) {
      this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    /** The format of the input lines; {@link LogFormat#AUTO} (the default) detects it per line. */
    public Builder format(LogFormat value) {
      this.format = Objects.requireNonNull(value, "format");
      return this;
    }

    /**
     * Whether a run whose inputs turn out to be no usage log at all ({@link IngestSummary#noUsageLog()})
     * leaves the read positions as they were, so the next run reads them again and finds the same
     * (default false: a file is never read twice). For inputs a user named, where that is an error.
     */
    public Builder forgetNoUsageLog(boolean value) {
      this.forgetNoUsageLog = value;
      return this;
    }

    /** Whether to stop with {@link MalformedLineException} at the first malformed line. */
    public Builder strict(boolean value) {
      this.strict = value;
      return this;
    }

    /** Events per {@code trackAll} call (per store transaction); 1 to 100,000, default 1,000. */
    public Builder batchSize(int value) {
      if (value < 1 || value > 100_000) {
        throw new IllegalArgumentException("batchSize must be between 1 and 100000, got " + value);
      }
      this.batchSize = value;
      return this;
    }

    /** Receives bytes-read progress, e.g. a {@link TextProgressBar}. */
    public Builder progressListener(IngestProgressListener value) {
      this.progress = Objects.requireNonNull(value, "progressListener");
      return this;
    }

    /**
     * Where the per-file offsets for incremental runs are kept (created if missing). Use one
     * directory per store and budget. Without one, every run reads every file from the start (the
     * totals stay exact through de-duplication, but runs are slower).
     */
    public Builder stateDirectory(Path value) {
      this.stateDirectory = Objects.requireNonNull(value, "stateDirectory");
      return this;
    }

    /** The time of ingest: charged to records without a timestamp; defaults to the system clock. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Files parsed at once; defaults to the number of processors. */
    public Builder parallelism(int value) {
      if (value < 1 || value > 64) {
        throw new IllegalArgumentException("parallelism must be between 1 and 64, got " + value);
      }
      this.parallelism = value;
      return this;
    }

    /** What {@code -} reads; defaults to {@link System#in}. */
    public Builder stdin(InputStream value) {
      this.stdin = Objects.requireNonNull(value, "stdin");
      return this;
    }

    /** How often follow mode looks for new lines and files; default 500 ms. */
    public Builder pollInterval(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("pollInterval must be positive, got " + value);
      }
      this.pollInterval = value;
      return this;
    }

    /** Longest line accepted, in bytes; default 64 MiB. */
    public Builder maxLineBytes(int value) {
      if (value < 1024) {
        throw new IllegalArgumentException("maxLineBytes must be at least 1024, got " + value);
      }
      this.maxLineBytes = value;
      this.bufferSize = Math.min(bufferSize, value);
      return this;
    }

    /**
     * The project of records that name none (API responses never do; Claude Code and Codex lines
     * do, and keep theirs).
     *
     * @throws IllegalArgumentException if an event could not carry it (blank, too long, control
     *     characters)
     */
    public Builder project(String value) {
      this.project = checked(value, null, Map.of()).project();
      return this;
    }

    /** The session of records that name none; as {@link #project}. */
    public Builder session(String value) {
      this.session = checked(null, value, Map.of()).session();
      return this;
    }

    /**
     * Adds a tag to the records that carry no tags of their own (every record but tokenwatch's own
     * JSON with tags).
     *
     * @throws IllegalArgumentException naming the key and value if the tag is not valid, or if it
     *     would be the ninth
     */
    public Builder tag(String key, String value) {
      TokenUsageEvent.requireValidTag(key, value);
      TreeMap<String, String> more = new TreeMap<>(tags);
      more.put(key, value);
      checked(null, null, more);
      tags.put(key, value);
      return this;
    }

    /** An event with these dimensions, so that they are checked exactly as events check them. */
    private static TokenUsageEvent checked(String project, String session, Map<String, String> tags) {
      return new TokenUsageEvent("check", 0, 0, 0, 0, 0, Instant.EPOCH, null, project, session, new TreeMap<>(tags));
    }

    /**
     * Called after each batch is tracked, on the applying thread, with the batch (valid during the
     * call only) and its result: for meters such as Micrometer's.
     */
    public Builder onTracked(BiConsumer<List<TokenUsageEvent>, BatchResult> value) {
      this.onTracked = Objects.requireNonNull(value, "onTracked");
      return this;
    }

    /** Whether lines no format could claim are counted unparsed (the default); off only to compare. */
    Builder prefilter(boolean value) {
      this.prefilter = value;
      return this;
    }

    public Ingestor build() {
      return new Ingestor(this);
    }
  }
}
