package dev.tokenwatch.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.BatchResult;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.Clock;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Reads usage logs (OpenAI and Anthropic API responses, Claude Code session logs, tokenwatch's own
 * event JSON; one JSON object per line) and charges them to a {@link TokenTracker} in batches.
 *
 * <p>Inputs are files, directories (walked recursively for {@code *.jsonl} and {@code *.json}, in
 * sorted order) and {@code -} for standard input. Files are parsed in parallel with Jackson's
 * streaming parser, skipping message content; one thread applies the events through {@link
 * TokenTracker#trackAll} in batches, so alerts fire as during live tracking. Each record's key
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

  private static final Logger LOG = LogManager.getLogger(Ingestor.class);
  /** How long the applying thread waits for more lines before applying a partial batch. */
  private static final long IDLE_FLUSH_MILLIS = 100;
  /** Offsets are saved at least this often during a long pass. */
  private static final long SAVE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

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
    Run run = new Run(offsets == null ? new TreeMap<>() : offsets.load());
    ExecutorService readers = Executors.newFixedThreadPool(parallelism, new ReaderThreads());
    try {
      pass(scan(inputs, run, false, true), run, readers);
      while (follow && !stopRequested()) {
        if (stopped.await(pollInterval.toMillis(), TimeUnit.MILLISECONDS)) {
          break;
        }
        pass(scan(inputs, run, true, false), run, readers);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // a stop request: the summary below is the answer
    } finally {
      readers.shutdownNow();
      saveIfDirty(run, true);
    }
    // a run that applied nothing changed no period: no scan of the ledger (the common re-ingest)
    Map<Instant, Counts> before = run.periodsBefore == null ? Map.of() : run.periodsBefore;
    Map<Instant, Counts> after = run.periodsBefore == null ? Map.of() : budgetPeriodTotals();
    Instant currentStart = tracker.getCurrentPeriod().startInstant();
    TokenBudget budget = tracker.getBudget();
    Counts added = Counts.ZERO;
    List<IngestSummary.EarlierPeriod> earlier = new ArrayList<>();
    for (Map.Entry<Instant, Counts> period : after.entrySet()) {
      Counts delta = period.getValue().minus(before.getOrDefault(period.getKey(), Counts.ZERO));
      added = added.plus(delta);
      if (delta.totalTokens() > 0 && period.getKey().isBefore(currentStart)) {
        earlier.add(new IngestSummary.EarlierPeriod(period.getKey(), delta.totalTokens(),
            budget.measure(period.getValue()), budget.limit()));
      }
    }
    for (Map.Entry<Instant, Counts> period : before.entrySet()) {
      if (!after.containsKey(period.getKey())) {
        added = added.minus(period.getValue()); // a period emptied by replacements
      }
    }
    IngestSummary summary = new IngestSummary(run.seen.size(), run.filesRead, run.lines, run.bytes, run.recorded,
        run.replaced, run.duplicates, run.nonUsage, run.malformed, run.firstMalformed, run.futureLines(),
        run.firstFuture(), run.chargedAtIngestTime, added, run.unpricedModels,
        Duration.ofNanos(System.nanoTime() - startNanos), run.alerts, tracker.getUsage(), earlier,
        run.beforeRetention);
    progress.finished(summary);
    return summary;
  }

  /** Reads every source to its current end, applying events in batches; returns when all are done. */
  private void pass(List<Source> sources, Run run, ExecutorService readers) throws InterruptedException {
    List<Source> jobs = new ArrayList<>();
    for (Source s : sources) {
      jobs.add(s);
      run.bytesTotal += s.pendingBytes();
    }
    if (jobs.isEmpty()) {
      return;
    }
    run.filesRead += jobs.size();
    BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(Math.max(4, parallelism * 4));
    AtomicBoolean cancelled = new AtomicBoolean();
    ThreadLocal<LineParser> parsers = ThreadLocal.withInitial(() -> new LineParser(json, format, dimensions));
    for (Source source : jobs) {
      readers.execute(() -> readSource(source, parsers.get(), queue, cancelled));
    }
    int outstanding = jobs.size();
    Batch batch = new Batch(batchSize);
    try {
      while (outstanding > 0) {
        if (stopRequested()) {
          break;
        }
        Chunk chunk = queue.poll(IDLE_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        if (chunk == null) {
          apply(batch, run);
          continue;
        }
        if (chunk.failure != null) {
          apply(batch, run);
          if (chunk.failure instanceof Error error) {
            throw error;
          }
          throw (RuntimeException) chunk.failure;
        }
        if (batch.events.size() + chunk.events.size() > batchSize) {
          apply(batch, run);
        }
        batch.add(chunk);
        run.count(chunk);
        if (chunk.strictStop != null) {
          apply(batch, run);
          throw new MalformedLineException(chunk.strictStop);
        }
        if (chunk.last) {
          outstanding--;
        }
        if (batch.events.size() >= batchSize) {
          apply(batch, run);
        }
      }
      apply(batch, run);
    } finally {
      cancelled.set(true);
      queue.clear(); // unblocks readers waiting to hand over; they see the cancellation and stop
    }
    saveIfDirty(run, false);
  }

  private void readSource(Source source, LineParser parser, BlockingQueue<Chunk> queue, AtomicBoolean cancelled) {
    SourceReader reader =
        new SourceReader(parser, clock, batchSize, strict, bufferSize, maxLineBytes, queue, cancelled::get);
    try {
      if (source.isStdin()) {
        reader.readStream(source, stdin);
      } else {
        reader.readFile(source);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the run was stopped; nothing more to hand over
    } catch (RuntimeException | Error e) {
      Chunk failed = new Chunk(source, 0);
      failed.failure = e;
      failed.last = true;
      try {
        while (!cancelled.get() && !queue.offer(failed, IDLE_FLUSH_MILLIS, TimeUnit.MILLISECONDS)) {
          // wait for room; the applying thread drains the queue until it sees the failure
        }
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        LOG.warn("reading {} failed after the run was stopped: {}", source.name, e.toString());
      }
    }
  }

  /** Applies the batch's events in one {@code trackAll}, then advances the offsets of its lines. */
  private void apply(Batch batch, Run run) {
    if (batch.chunks.isEmpty()) {
      return;
    }
    if (!batch.events.isEmpty()) {
      if (run.periodsBefore == null) {
        run.periodsBefore = budgetPeriodTotals();
      }
      noteUnpriced(batch.events, run);
      BatchResult result = tracker.trackAll(batch.events);
      run.recorded += result.recorded();
      run.replaced += result.replaced();
      run.duplicates += result.duplicates();
      run.beforeRetention += result.beforeRetention();
      result.alert().ifPresent(run.alerts::add);
      try {
        onTracked.accept(Collections.unmodifiableList(batch.events), result);
      } catch (RuntimeException e) {
        LOG.warn("the onTracked callback failed; the batch is tracked", e);
      }
    }
    for (Chunk chunk : batch.chunks) {
      run.bytesDone += chunk.bytes;
      Source s = chunk.source;
      if (!s.isStdin() && (chunk.lines > 0 || chunk.last)) {
        // the scanned size and time mark the file as done only once it was read to its end; a file
        // left part-way (strict stop, a save during a long file) gets size -1, so it is read on
        boolean complete = chunk.last && chunk.strictStop == null && chunk.futureStop == null;
        run.marks.put(s.name, new OffsetStore.FileMark(s.fileKey, complete ? s.size : -1, s.mtimeMillis,
            chunk.endOffset, chunk.endLine, s.headLength, s.headHash, chunk.context));
        run.dirty = true;
      }
    }
    batch.clear();
    progress.progress(run.bytesDone, run.bytesTotal);
    if (run.dirty && System.nanoTime() - run.lastSaveNanos > SAVE_INTERVAL_NANOS) {
      saveIfDirty(run, false);
    }
  }

  private void saveIfDirty(Run run, boolean prune) {
    if (offsets == null || !run.dirty) {
      return;
    }
    if (prune) {
      run.marks.keySet().removeIf(name -> !Files.exists(Path.of(name)));
    }
    offsets.save(run.marks);
    run.dirty = false;
    run.lastSaveNanos = System.nanoTime();
  }

  /**
   * Lists the input files with their start offsets; unchanged files are left out.
   *
   * @param lenient whether missing inputs are skipped (follow mode: a rotated file may be absent
   *     for a moment) rather than an error
   */
  private List<Source> scan(List<String> inputs, Run run, boolean lenient, boolean withStdin) {
    Map<String, OffsetStore.FileMark> marks = run.marks;
    Map<String, Source> found = new LinkedHashMap<>();
    boolean stdinSeen = false;
    for (String input : inputs) {
      if (Source.STDIN.equals(input)) {
        if (withStdin && !stdinSeen) {
          found.put(Source.STDIN, Source.stdin());
        }
        stdinSeen = true;
        continue;
      }
      Path path = Path.of(input).toAbsolutePath().normalize();
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(path, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        if (lenient) {
          continue;
        }
        throw new IllegalArgumentException("no such file or directory: " + input, e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + input + ": " + e.getMessage(), e);
      }
      if (attrs.isDirectory()) {
        walk(path, marks, found);
      } else {
        addFile(path, attrs, marks, found);
      }
    }
    List<Source> toRead = new ArrayList<>();
    found.forEach((name, source) -> {
      run.seen.add(name);
      if (source != null) {
        toRead.add(source);
      }
    });
    return toRead;
  }

  private void walk(Path dir, Map<String, OffsetStore.FileMark> marks, Map<String, Source> found) {
    TreeMap<String, BasicFileAttributes> files = new TreeMap<>();
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
          if (attrs.isRegularFile() && (name.endsWith(".jsonl") || name.endsWith(".json"))) {
            files.put(file.toString(), attrs);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE; // deleted while walking
          }
          throw e;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    files.forEach((name, attrs) -> addFile(Path.of(name), attrs, marks, found));
  }

  private void addFile(Path path, BasicFileAttributes attrs, Map<String, OffsetStore.FileMark> marks,
      Map<String, Source> found) {
    String name = path.toString();
    if (found.containsKey(name)) {
      return;
    }
    Object key = attrs.fileKey();
    String fileKey = key == null ? null : key.toString();
    long size = attrs.size();
    long mtime = attrs.lastModifiedTime().toMillis();
    OffsetStore.FileMark mark = marks.get(name);
    long offset = 0;
    long line = 0;
    if (mark != null && Objects.equals(mark.fileKey(), fileKey) && mark.offset() <= size) {
      if (mark.size() == size && mark.mtimeMillis() == mtime) {
        found.put(name, null); // unchanged since the last run: nothing to read
        return;
      }
      offset = mark.offset();
      line = mark.line();
    }
    found.put(name, new Source(name, path, fileKey, size, mtime, offset, line, offset > 0 ? mark : null));
  }

  /** The budget's totals per period over the whole ledger, by period start (sorted). */
  private Map<Instant, Counts> budgetPeriodTotals() {
    Map<Instant, Counts> totals = new TreeMap<>();
    for (UsageRow row : tracker.getPeriodTotals(null, null).rows()) {
      totals.put(row.start(), row.counts());
    }
    return totals;
  }

  /** Counts the events the tracker will find no price for (no cost of their own, no model in its table). */
  private void noteUnpriced(List<TokenUsageEvent> events, Run run) {
    for (TokenUsageEvent event : events) {
      if (!event.hasCost() && !run.priced.computeIfAbsent(event.model(), m -> tracker.prices().lookup(m).isPresent())) {
        run.unpricedModels.merge(event.model(), 1L, Long::sum);
      }
    }
  }

  /** The state of one run, touched by the applying thread only. */
  private static final class Run {
    final Map<String, OffsetStore.FileMark> marks;
    /** Every input file found in this run (and "-"). */
    final java.util.Set<String> seen = new java.util.HashSet<>();
    final List<MalformedLine> firstMalformed = new ArrayList<>();
    /**
     * Per file, the first line stamped in the future at the file's latest pass and the lines from
     * it on (follow mode reads such a file again at every poll: only the latest pass counts).
     */
    final Map<String, Pending> future = new TreeMap<>();
    final List<Alert> alerts = new ArrayList<>();
    int filesRead;
    long lines;
    long bytes;
    long recorded;
    long replaced;
    long duplicates;
    long beforeRetention;
    /** The budget's totals per period before the run's first batch; null until one is applied. */
    Map<Instant, Counts> periodsBefore;
    /** Per model seen, whether the tracker's table prices it. */
    final Map<String, Boolean> priced = new java.util.HashMap<>();
    final TreeMap<String, Long> unpricedModels = new TreeMap<>();
    long nonUsage;
    long malformed;
    long chargedAtIngestTime;
    long bytesDone;
    long bytesTotal;
    boolean dirty;
    long lastSaveNanos = System.nanoTime();

    Run(Map<String, OffsetStore.FileMark> marks) {
      this.marks = marks;
    }

    long futureLines() {
      return future.values().stream().mapToLong(Pending::lines).sum();
    }

    List<MalformedLine> firstFuture() {
      return future.values().stream().map(Pending::first).limit(IngestSummary.MAX_REPORTED_MALFORMED).toList();
    }

    /** A file's first line stamped in the future and the lines from it on. */
    record Pending(MalformedLine first, long lines) {}

    void count(Chunk chunk) {
      lines += chunk.lines;
      bytes += chunk.bytes;
      nonUsage += chunk.nonUsage;
      malformed += chunk.malformed;
      chargedAtIngestTime += chunk.chargedAtIngestTime;
      if (chunk.futureStop != null) {
        future.put(chunk.source.name, new Pending(chunk.futureStop, chunk.futureLines));
      } else if (chunk.last) {
        future.remove(chunk.source.name);
      }
      for (MalformedLine bad : chunk.malformedSamples) {
        if (firstMalformed.size() < IngestSummary.MAX_REPORTED_MALFORMED) {
          firstMalformed.add(bad);
        }
      }
    }
  }

  /** Events of consecutive chunks waiting to be applied together. */
  private static final class Batch {
    final List<TokenUsageEvent> events;
    final List<Chunk> chunks = new ArrayList<>();

    Batch(int batchSize) {
      this.events = new ArrayList<>(batchSize);
    }

    void add(Chunk chunk) {
      events.addAll(chunk.events);
      chunks.add(chunk);
    }

    void clear() {
      events.clear();
      chunks.clear();
    }
  }

  private static final class ReaderThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      // daemon: a reader blocked on standard input must not keep the JVM alive after a stop
      Thread thread = new Thread(task, "tokenwatch-ingest-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
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
    private BiConsumer<List<TokenUsageEvent>, BatchResult> onTracked = (events, result) -> {};

    private Builder(TokenTracker tracker) {
      this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    /** The format of the input lines; {@link LogFormat#AUTO} (the default) detects it per line. */
    public Builder format(LogFormat value) {
      this.format = Objects.requireNonNull(value, "format");
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
     * Called after each batch is tracked, on the applying thread, with the batch (valid during the
     * call only) and its result: for meters such as Micrometer's.
     */
    public Builder onTracked(BiConsumer<List<TokenUsageEvent>, BatchResult> value) {
      this.onTracked = Objects.requireNonNull(value, "onTracked");
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

    public Ingestor build() {
      return new Ingestor(this);
    }
  }
}
