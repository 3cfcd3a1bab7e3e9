package dev.tokenwatch.ingest;

import dev.tokenwatch.domain.BatchResult;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Applies consecutive chunks in batches through {@link TokenTracker#trackAll}, and only then moves
 * their sources' offsets on: an offset is saved only once the usage of the lines before it is in
 * the store, so a crash at any point re-reads lines rather than loses them (and reading a line
 * twice changes nothing: the tracker counts each key once).
 */
final class BatchApplier {

  private static final Logger LOG = LogManager.getLogger(BatchApplier.class);
  /** Offsets are saved at least this often during a long pass. */
  private static final long SAVE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final TokenTracker tracker;
  private final OffsetStore offsets;
  private final IngestProgressListener progress;
  private final int batchSize;
  private final IngestRun run;
  private final List<TokenUsageEvent> events;
  private final List<Chunk> chunks = new ArrayList<>();
  private final BiConsumer<List<TokenUsageEvent>, BatchResult> onTracked;

  /**
   * @param offsets where marks are saved; null: nowhere
   * @param onTracked told of each tracked batch (meters); a failure is logged, the batch stays tracked
   */
  BatchApplier(TokenTracker tracker, OffsetStore offsets, IngestProgressListener progress, int batchSize,
      IngestRun run, BiConsumer<List<TokenUsageEvent>, BatchResult> onTracked) {
    this.onTracked = onTracked;
    this.tracker = tracker;
    this.offsets = offsets;
    this.progress = progress;
    this.batchSize = batchSize;
    this.run = run;
    this.events = new ArrayList<>(batchSize);
  }

  /** Adds the chunk to the batch, applying the batch before (if it would overflow) and after (if full). */
  void add(Chunk chunk) {
    if (events.size() + chunk.events.size() > batchSize) {
      apply();
    }
    events.addAll(chunk.events);
    chunks.add(chunk);
    run.count(chunk);
    if (events.size() >= batchSize) {
      apply();
    }
  }

  /** Applies the batch's events in one {@code trackAll}, then advances the offsets of its lines. */
  void apply() {
    if (chunks.isEmpty()) {
      return;
    }
    if (!events.isEmpty()) {
      if (run.periodsBefore == null) {
        run.periodsBefore = IngestRun.periodTotals(tracker);
      }
      noteUnpriced();
      BatchResult result = tracker.trackAll(events);
      run.recorded += result.recorded();
      run.replaced += result.replaced();
      run.duplicates += result.duplicates();
      run.beforeRetention += result.beforeRetention();
      result.alert().ifPresent(run.alerts::add);
      try {
        onTracked.accept(Collections.unmodifiableList(events), result);
      } catch (RuntimeException e) {
        LOG.warn("the onTracked callback failed; the batch is tracked", e);
      }
    }
    for (Chunk chunk : chunks) {
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
    events.clear();
    chunks.clear();
    progress.progress(run.bytesDone, run.bytesTotal);
    if (run.dirty && System.nanoTime() - run.lastSaveNanos > SAVE_INTERVAL_NANOS) {
      save(false);
    }
  }

  /**
   * Saves the marks if they changed since the last save.
   *
   * @param prune whether the marks of files that no longer exist are dropped (at the end of a run)
   */
  void save(boolean prune) {
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

  /** Counts the events the tracker will find no price for (no cost of their own, no model in its table). */
  private void noteUnpriced() {
    for (TokenUsageEvent event : events) {
      if (!event.hasCost()
          && !run.priced.computeIfAbsent(event.model(), m -> tracker.prices().lookup(m).isPresent())) {
        run.unpricedModels.merge(event.model(), 1L, Long::sum);
      }
    }
  }
}
