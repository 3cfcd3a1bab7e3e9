package dev.tokenwatch.ingest;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.Usage;
import dev.tokenwatch.domain.ledger.Counts;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one {@link Ingestor} run did.
 *
 * @param filesScanned input files found (standard input counts as one)
 * @param filesRead files that had new bytes to read in this run
 * @param lines lines read (complete lines, including skipped and malformed ones)
 * @param bytes bytes of those lines
 * @param eventsRecorded usage records counted for the first time
 * @param eventsReplaced records that replaced an earlier, smaller record with the same key
 * @param duplicates records dropped because their key was already counted with a total at least as
 *     large (also across runs)
 * @param nonUsageLines lines that carry no usage (user turns, tool results, summaries, blank lines,
 *     {@code <synthetic>} entries), skipped silently
 * @param malformedLines lines that could not be ingested
 * @param firstMalformed the first {@link #MAX_REPORTED_MALFORMED} of them with file and line
 * @param futureLines lines not counted yet because they are stamped more than {@link
 *     dev.tokenwatch.domain.TokenTracker#MAX_CLOCK_SKEW} ahead of the clock, with the lines after
 *     them in the same file: the offsets stop before them and a later run reads them again
 * @param firstFuture the first such line of each file (up to {@link #MAX_REPORTED_MALFORMED}),
 *     with its timestamp and the clock in the reason
 * @param chargedAtIngestTime records without a usable timestamp, charged to the time of ingest
 * @param added what the run added to the budget over all periods: tokens, calls, cost (as priced
 *     when recorded) and the calls and tokens without a price
 * @param unpricedModels the models of the run's events that have no price, with how many of their
 *     events the run applied (duplicates included), sorted by name; empty when every model is priced
 * @param elapsed wall time of the run
 * @param alerts alerts the run raised, in order
 * @param usage usage of the budget's current period at the end
 * @param earlierPeriods the budget's periods before the current one that the run added tokens to,
 *     oldest first
 * @param beforeRetention records dropped because they lie before the store's retained range
 */
public record IngestSummary(
    int filesScanned,
    int filesRead,
    long lines,
    long bytes,
    long eventsRecorded,
    long eventsReplaced,
    long duplicates,
    long nonUsageLines,
    long malformedLines,
    List<MalformedLine> firstMalformed,
    long futureLines,
    List<MalformedLine> firstFuture,
    long chargedAtIngestTime,
    Counts added,
    SortedMap<String, Long> unpricedModels,
    Duration elapsed,
    List<Alert> alerts,
    Usage usage,
    List<EarlierPeriod> earlierPeriods,
    long beforeRetention) {

  /** How many malformed lines are reported individually. */
  public static final int MAX_REPORTED_MALFORMED = 10;

  public IngestSummary {
    firstMalformed = List.copyOf(firstMalformed);
    firstFuture = List.copyOf(firstFuture);
    alerts = List.copyOf(alerts);
    earlierPeriods = List.copyOf(earlierPeriods);
    Objects.requireNonNull(added, "added");
    unpricedModels = Collections.unmodifiableSortedMap(new TreeMap<>(unpricedModels));
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(usage, "usage");
  }

  /**
   * A budget period before the current one that a run added tokens to (a first ingest of last
   * month's logs adds to last month, not to this one).
   *
   * @param start the period's start
   * @param tokensAdded tokens the run added to it
   * @param used the period's total after the run, in the budget's unit (tokens, or nano-dollars)
   * @param limit the budget's limit, in the same unit
   */
  public record EarlierPeriod(Instant start, long tokensAdded, long used, long limit) {
    /** The period's total as a share of the limit: 0.72 means 72%. */
    public double shareOfLimit() {
      return (double) used / limit;
    }
  }

  /** Tokens the run added to the budget over all periods. */
  public long tokensAdded() {
    return added.totalTokens();
  }

  /** Tokens the run added to the budget's earlier periods. */
  public long tokensAddedToEarlierPeriods() {
    long sum = 0;
    for (EarlierPeriod p : earlierPeriods) {
      sum += p.tokensAdded();
    }
    return sum;
  }

  /**
   * Whether the inputs were no usage log at all: no {@code .jsonl}/{@code .json} file was found, or
   * no line was a usage record and at least as many were malformed as were other JSON (a binary, an
   * image, an XML file). False for a log, also one with nothing new.
   */
  public boolean noUsageLog() {
    return noUsageLog(filesScanned, eventsIngested() + duplicates + futureLines + beforeRetention, malformedLines,
        nonUsageLines);
  }

  /** The rule of {@link #noUsageLog()}, for a run still going ({@code records}: lines that were usage records). */
  static boolean noUsageLog(int filesScanned, long records, long malformed, long nonUsage) {
    return filesScanned == 0 || records == 0 && malformed > 0 && malformed >= nonUsage;
  }

  /** Records that changed the totals: recorded plus replaced. */
  public long eventsIngested() {
    return eventsRecorded + eventsReplaced;
  }

  /** Lines per second over the elapsed time. */
  public double linesPerSecond() {
    return perSecond(lines);
  }

  /** Input bytes per second over the elapsed time. */
  public double bytesPerSecond() {
    return perSecond(bytes);
  }

  private double perSecond(long count) {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : count / seconds;
  }
}
