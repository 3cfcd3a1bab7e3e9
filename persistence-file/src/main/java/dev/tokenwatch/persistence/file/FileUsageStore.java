package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageAggregator;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.port.AlertOutbox;
import dev.tokenwatch.domain.port.Clock;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.domain.reservation.CommitResult;
import dev.tokenwatch.domain.reservation.OpenReservations;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import dev.tokenwatch.domain.reservation.ReserveOutcome;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;

/**
 * A durable {@link UsageStore} in a local directory, safe for many threads and many processes at
 * once. See the package documentation for the files and the arguments for durability and
 * multi-process safety.
 *
 * <pre>{@code
 * try (UsageStore store = new FileUsageStore(FileUsageStore.defaultDirectory())) { ... }
 * }</pre>
 *
 * <p>Errors: a missing, damaged or unreadable file, or a store of an older format, raises {@link
 * StoreFileException} naming the file (and the byte offset where it applies) and what to do; nothing
 * the store could not read is ever changed. Other I/O failures raise {@link UncheckedIOException}.
 */
public final class FileUsageStore implements UsageStore {

  /** Journal size (not counting the outbox entries carried into it) at which it is compacted. */
  public static final long DEFAULT_COMPACTION_BYTES = 8L << 20;

  /** Events recorded since the last compaction (held in memory) at which the journal is compacted. */
  public static final int DEFAULT_COMPACTION_EVENTS = 50_000;

  private final Path directory;
  private final StoreAccess access;
  private final FileOutbox outbox;

  /** Opens (creating if needed) the store in {@code directory}. */
  public FileUsageStore(Path directory) {
    this(builder(directory));
  }

  private FileUsageStore(Builder builder) {
    this.directory = builder.directory.toAbsolutePath().normalize();
    this.access = new StoreAccess(new LedgerFiles(directory), builder.compactionBytes, builder.compactionEvents);
    this.outbox = new FileOutbox(access);
  }

  /** A builder for a store in {@code directory}, for settings beyond the defaults. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /**
   * The default state directory: {@code $XDG_STATE_HOME/tokenwatch} if that variable holds an
   * absolute path, else {@code ~/.local/state/tokenwatch}.
   */
  public static Path defaultDirectory() {
    return defaultDirectory(System.getenv("XDG_STATE_HOME"), System.getProperty("user.home"));
  }

  static Path defaultDirectory(String xdgStateHome, String userHome) {
    // The XDG spec says relative paths in these variables are invalid and must be ignored.
    if (xdgStateHome != null && !xdgStateHome.isBlank() && Path.of(xdgStateHome).isAbsolute()) {
      return Path.of(xdgStateHome, "tokenwatch");
    }
    return Path.of(userHome, ".local", "state", "tokenwatch");
  }

  /** The directory this store lives in. */
  public Path directory() {
    return directory;
  }

  // ---------------------------------------------------------------------------------------------
  // UsageStore

  @Override
  public RecordResult record(List<TokenUsageEvent> events, List<BudgetWindow> windows) {
    List<TokenUsageEvent> batch = List.copyOf(events); // rejects nulls; callers may reuse their list
    List<BudgetWindow> in = List.copyOf(windows);
    RequestKey[] keys = keys(batch);
    return access.write((ledger, journal) -> Recording.apply(ledger, batch, keys, in, journal));
  }

  /** Hashed here, in the caller's thread, while another caller may be forcing. */
  private static RequestKey[] keys(List<TokenUsageEvent> batch) {
    RequestKey[] keys = new RequestKey[batch.size()];
    for (int i = 0; i < keys.length; i++) {
      String id = batch.get(i).requestId();
      keys[i] = id == null ? null : RequestKey.of(id);
    }
    return keys;
  }

  /**
   * Decided and journaled under the directory lock against the caught-up state (see {@link
   * Reservations}); the record is not forced: a reservation matters only while its process lives.
   */
  @Override
  public ReserveOutcome reserve(ReservationRequest request, Instant now) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(now, "now");
    Object outcome = access.writeUnforced((ledger, journal) -> ledger.reservations.reserve(ledger, request, now, journal));
    if (outcome instanceof IllegalArgumentException refused) {
      throw new IllegalArgumentException(refused.getMessage(), refused);
    }
    return (ReserveOutcome) outcome;
  }

  /** {@link #record} and the reservation's end in one append and one force. */
  @Override
  public CommitResult commit(String reservationId, List<TokenUsageEvent> events, List<BudgetWindow> windows,
      Instant now) {
    ReservationRequest.requireValidId(reservationId);
    Objects.requireNonNull(now, "now");
    List<TokenUsageEvent> batch = List.copyOf(events);
    List<BudgetWindow> in = List.copyOf(windows);
    RequestKey[] keys = keys(batch);
    return access.write((ledger, journal) -> {
      RecordResult recorded = Recording.apply(ledger, batch, keys, in, journal);
      return new CommitResult(recorded, ledger.reservations.settle(reservationId, now, journal));
    });
  }

  @Override
  public boolean release(String reservationId, Instant now) {
    ReservationRequest.requireValidId(reservationId);
    Objects.requireNonNull(now, "now");
    return access.writeUnforced((ledger, journal) -> ledger.reservations.settle(reservationId, now, journal));
  }

  @Override
  public OpenReservations reserved(BudgetWindow window, BudgetUnit unit, Instant now) {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(now, "now");
    return access.read(ledger -> ledger.reservations.held(window, unit, now));
  }

  /**
   * For tests: the window's committed figure (kept, else the ledger's) in {@code unit}, what the
   * open reservations hold in it and how many reservations are open at all, read from one caught-up
   * state, at {@code clock}'s instant taken once caught up (so no later than the decisions it sees).
   */
  long[] reservationSample(BudgetWindow window, BudgetUnit unit, Clock clock) {
    return access.read(ledger -> {
      Counts kept = ledger.windows.totals(window.key());
      long used = unit.measure(kept != null ? kept : ledger.scan(window));
      OpenReservations held = ledger.reservations.held(window, unit, clock.now());
      return new long[] {used, held.amount(), ledger.reservations.size()};
    });
  }

  @Override
  public boolean keepsWindow(BudgetWindow window) {
    Objects.requireNonNull(window, "window");
    return access.read(ledger -> ledger.windows.totals(window.key()) != null);
  }

  @Override
  public Counts windowTotals(BudgetWindow window) {
    Objects.requireNonNull(window, "window");
    return access.read(ledger -> {
      Counts kept = ledger.windows.totals(window.key());
      return kept != null ? kept : ledger.scan(window);
    });
  }

  /** The claim and the entries of {@code claim} are one journal record, forced before this returns. */
  @Override
  public boolean claimThreshold(BudgetWindow window, double threshold, AlertClaim claim) {
    Objects.requireNonNull(window, "window");
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("threshold must be a finite number, got " + threshold);
    }
    return access.write((ledger, journal) -> {
      if (!ledger.windows.claim(window.key(), window.start(), window.end(), threshold)) {
        return false;
      }
      if (claim != null) {
        ledger.outbox.queue(claim);
      }
      JournalRecord.encode(journal,
          new JournalRecord.Claimed(window.key(), window.start(), window.end(), threshold, claim));
      return true;
    });
  }

  /** Each operation of the view is a journal record, applied under the directory lock and forced. */
  @Override
  public AlertOutbox outbox() {
    return outbox;
  }

  @Override
  public SortedSet<Double> claimedThresholds(BudgetWindow window) {
    Objects.requireNonNull(window, "window");
    return access.read(ledger -> ledger.windows.claims(window.key()));
  }

  @Override
  public UsageAnswer query(UsageQuery query) {
    Objects.requireNonNull(query, "query");
    return access.read(ledger -> {
      UsageAggregator aggregator = new UsageAggregator(query);
      ledger.aggregate(query, aggregator);
      Instant retained = ledger.retainedFrom();
      boolean before = retained != null && (query.from() == null || query.from().isBefore(retained));
      return new UsageAnswer(aggregator.rows(), retained, before);
    });
  }

  @Override
  public List<TokenUsageEvent> history(UsageFilter filter, int limit) {
    Objects.requireNonNull(filter, "filter");
    return access.read(ledger -> LatestEvents.of(ledger, filter, limit));
  }

  @Override
  public void resetWindow(BudgetWindow window) {
    Objects.requireNonNull(window, "window");
    access.write((ledger, journal) -> {
      ledger.reset(window);
      JournalRecord.encode(journal, new JournalRecord.Reset(window));
      return null;
    });
  }

  @Override
  public void dropBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    access.write((ledger, journal) -> {
      if (ledger.dropBefore(cutoff)) {
        JournalRecord.encode(journal, new JournalRecord.Dropped(cutoff));
      }
      return null;
    });
  }

  @Override
  public Instant retainedFrom() {
    return access.read(Ledger::retainedFrom);
  }

  /** Closes the files and gives up this store's share of the directory lock. Idempotent. */
  @Override
  public void close() {
    access.close();
  }

  @Override
  public String toString() {
    return "FileUsageStore[" + directory + "]";
  }

  /** Settings of a {@link FileUsageStore}. */
  public static final class Builder {
    private final Path directory;
    private long compactionBytes = DEFAULT_COMPACTION_BYTES;
    private int compactionEvents = DEFAULT_COMPACTION_EVENTS;

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /**
     * Compacts the journal into the next generation once it reaches this many bytes, not counting
     * the outbox entries the last compaction carried into it (compacting cannot shrink those).
     */
    public Builder compactAfterBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("compactAfterBytes must be positive, got " + bytes);
      }
      this.compactionBytes = bytes;
      return this;
    }

    /**
     * Compacts once this many events were recorded since the last compaction (default {@value
     * FileUsageStore#DEFAULT_COMPACTION_EVENTS}): they are held in memory (a few hundred bytes
     * each), so this bounds the store's memory; each compaction rewrites the generation's files, so
     * a smaller value costs more writing.
     */
    public Builder compactAfterEvents(int events) {
      if (events < 1) {
        throw new IllegalArgumentException("compactAfterEvents must be positive, got " + events);
      }
      this.compactionEvents = events;
      return this;
    }

    /** Opens the store. */
    public FileUsageStore build() {
      return new FileUsageStore(this);
    }
  }
}
