package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageAggregator;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
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

  /** Journal size at which it is compacted into the next generation. */
  public static final long DEFAULT_COMPACTION_BYTES = 8L << 20;

  /** Events recorded since the last compaction (held in memory) at which the journal is compacted. */
  public static final int DEFAULT_COMPACTION_EVENTS = 50_000;

  private final Path directory;
  private final StoreAccess access;

  /** Opens (creating if needed) the store in {@code directory}. */
  public FileUsageStore(Path directory) {
    this(builder(directory));
  }

  private FileUsageStore(Builder builder) {
    this.directory = builder.directory.toAbsolutePath().normalize();
    this.access = new StoreAccess(new LedgerFiles(directory), builder.compactionBytes, builder.compactionEvents);
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
    // hashed here, in the caller's thread, while another caller may be forcing
    RequestKey[] keys = new RequestKey[batch.size()];
    for (int i = 0; i < keys.length; i++) {
      String id = batch.get(i).requestId();
      keys[i] = id == null ? null : RequestKey.of(id);
    }
    return access.write((ledger, journal) -> Recording.apply(ledger, batch, keys, in, journal));
  }

  // Reservations: implemented on the branches file-reservations / jdbc-reservations (not landed yet).
  @Override
  public dev.tokenwatch.domain.reservation.ReserveOutcome reserve(
      dev.tokenwatch.domain.reservation.ReservationRequest request, java.time.Instant now) {
    throw new UnsupportedOperationException("reservations are not implemented by this store yet");
  }

  @Override
  public dev.tokenwatch.domain.reservation.CommitResult commit(String reservationId,
      java.util.List<dev.tokenwatch.domain.TokenUsageEvent> events, java.util.List<BudgetWindow> windows,
      java.time.Instant now) {
    throw new UnsupportedOperationException("reservations are not implemented by this store yet");
  }

  @Override
  public boolean release(String reservationId, java.time.Instant now) {
    throw new UnsupportedOperationException("reservations are not implemented by this store yet");
  }

  @Override
  public dev.tokenwatch.domain.reservation.OpenReservations reserved(BudgetWindow window,
      dev.tokenwatch.domain.BudgetUnit unit, java.time.Instant now) {
    throw new UnsupportedOperationException("reservations are not implemented by this store yet");
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

  @Override
  public boolean claimThreshold(BudgetWindow window, double threshold) {
    Objects.requireNonNull(window, "window");
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("threshold must be a finite number, got " + threshold);
    }
    return access.write((ledger, journal) -> {
      if (!ledger.windows.claim(window.key(), window.start(), window.end(), threshold)) {
        return false;
      }
      JournalRecord.encode(journal, new JournalRecord.Claimed(window.key(), window.start(), window.end(), threshold));
      return true;
    });
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
    return access.read(ledger -> ledger.history(filter, limit));
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

    /** Compacts the journal into the next generation once it reaches this many bytes. */
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
