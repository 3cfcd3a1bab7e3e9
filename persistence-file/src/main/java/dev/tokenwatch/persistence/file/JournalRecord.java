package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.ModelGlob;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.outbox.PendingAlert;
import dev.tokenwatch.domain.reservation.Hold;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The journal's records and their binary form. A record is framed as {@code length (int) | CRC32C of
 * the payload (int) | payload}; the payload starts with its kind (byte). {@link #encode} appends a
 * framed record to a buffer, {@link #decode} reads a payload back. In journal version 2 a window's
 * totals are {@code ref + 1 (varint)}, then, if that is 0 (the window's first appearance in the
 * journal), {@code key, start, end, scope (canonical text)}, then 9 counts (varints); version 1 (read
 * only) had key, start, end and 6 counts (the scope taken from the key, see {@link
 * Windows#scopeInKey}) and events without cost. A reservation is {@code id, expiresAt, holds
 * (short)}, each hold {@code budget, start, end, scope, unit (byte), limit, amount (varints)}. The
 * outbox's records are {@link OutboxRecords}'.
 */
sealed interface JournalRecord {

  byte RECORDED = 1;
  byte CLAIMED = 2;
  byte RESET = 3;
  byte DROPPED = 4;
  byte SEALED = 5;
  byte RESERVED = 6;
  byte SETTLED = 7;
  byte CLAIMED_WITH_ALERT = 8;
  byte TAKEN = 9;
  byte DELIVERED = 10;
  byte RETRIED = 11;
  byte GAVE_UP = 12;
  byte PENDING = 13;

  /** Bytes of a frame before its payload. */
  int FRAME = 8;

  /** An event with the sequence number it was recorded under. */
  record Numbered(long seq, TokenUsageEvent event) {}

  /**
   * A window's totals after a record: in full (key, period, scope) the first time the window appears
   * in the journal, later as {@code ref}, the number of that first appearance (see {@link Windows#journalRef}).
   */
  record WindowTotals(String key, Instant start, Instant end, UsageFilter scope, Counts totals, int ref) {
    static WindowTotals full(String key, Instant start, Instant end, UsageFilter scope, Counts totals) {
      return new WindowTotals(key, start, end, scope, totals, -1);
    }

    static WindowTotals ref(int ref, Counts totals) {
      return new WindowTotals(null, null, null, null, totals, ref);
    }
  }

  /** The events of a {@code record} that changed the ledger (new or replacing), and the windows' totals after it. */
  record Recorded(List<Numbered> events, List<WindowTotals> windows) implements JournalRecord {}

  /** A won threshold claim, with what it queued in the outbox ({@code claim}; null for nothing). */
  record Claimed(String key, Instant start, Instant end, double threshold, AlertClaim claim)
      implements JournalRecord {}

  /** A window reset. */
  record Reset(BudgetWindow window) implements JournalRecord {}

  /** A retention cutoff. */
  record Dropped(Instant cutoff) implements JournalRecord {}

  /** The last record of a compacted journal: generation {@code next} continues it. */
  record Sealed(long next) implements JournalRecord {}

  /** A reservation made (or carried into a new generation's journal by compaction). */
  record Reserved(ReservationRequest request) implements JournalRecord {}

  /** The end of reservation {@code id}: committed, released, or given up as expired. */
  record Settled(String id) implements JournalRecord {}

  /** An outbox entry: the alert of {@code alertId} for {@code sink}. */
  record Entry(String alertId, String sink) {}

  /** Outbox entries taken for delivery ({@code AlertOutbox.takeDue}), each held until {@code leaseUntil}. */
  record Taken(Instant leaseUntil, List<Entry> entries) implements JournalRecord {}

  /** An outbox entry delivered: it goes. */
  record Delivered(Entry entry) implements JournalRecord {}

  /** A failed delivery: due again at {@code nextAttempt}. */
  record Retried(Entry entry, Instant nextAttempt, String problem) implements JournalRecord {}

  /** Delivery given up: kept, never due. */
  record GaveUp(Entry entry, String problem) implements JournalRecord {}

  /** An outbox entry whole, as compaction carries it into the next generation's journal. */
  record Pending(PendingAlert entry) implements JournalRecord {}

  /** Appends {@code record}, framed. */
  static void encode(BinaryOut out, JournalRecord record) {
    int start = out.size();
    out.putInt(0);
    out.putInt(0);
    if (record instanceof Recorded r) {
      out.putByte(RECORDED);
      out.putInt(r.events().size());
      for (Numbered n : r.events()) {
        StoredEvent.write(out, n.seq(), n.event());
      }
      out.putInt(r.windows().size());
      for (WindowTotals w : r.windows()) {
        out.putVarLong(w.ref() + 1L);
        if (w.ref() < 0) {
          out.putString(w.key());
          putInstant(out, w.start());
          putInstant(out, w.end());
          out.putString(w.scope().canonical());
        }
        Counts c = w.totals();
        for (long v : new long[] {c.inputTokens(), c.outputTokens(), c.cacheCreationTokens(), c.cacheReadTokens(),
            c.totalTokens(), c.calls(), c.costNanoUsd(), c.unpricedCalls(), c.unpricedTokens()}) {
          out.putVarLong(v);
        }
      }
    } else if (record instanceof Claimed c) {
      out.putByte(c.claim() == null ? CLAIMED : CLAIMED_WITH_ALERT);
      out.putString(c.key());
      putInstant(out, c.start());
      putInstant(out, c.end());
      out.putLong(Double.doubleToLongBits(c.threshold()));
      if (c.claim() != null) {
        OutboxRecords.putClaim(out, c.claim());
      }
    } else if (record instanceof Reset r) {
      out.putByte(RESET);
      BudgetWindow w = r.window();
      out.putString(w.budget());
      putInstant(out, w.start());
      putInstant(out, w.end());
      UsageFilter scope = w.scope();
      out.putShort(scope.models().size());
      for (ModelGlob glob : scope.models()) {
        out.putString(glob.text());
      }
      out.putString(scope.project());
      out.putString(scope.session());
      out.putByte(scope.tags().size());
      for (Map.Entry<String, String> tag : scope.tags().entrySet()) {
        out.putString(tag.getKey());
        out.putString(tag.getValue());
      }
    } else if (record instanceof Dropped d) {
      out.putByte(DROPPED);
      putInstant(out, d.cutoff());
    } else if (record instanceof Sealed s) {
      out.putByte(SEALED);
      out.putLong(s.next());
    } else if (record instanceof Reserved r) {
      out.putByte(RESERVED);
      ReservationRequest request = r.request();
      out.putString(request.id());
      putInstant(out, request.expiresAt());
      out.putShort(request.holds().size());
      for (Hold hold : request.holds()) {
        BudgetWindow w = hold.window();
        out.putString(w.budget());
        putInstant(out, w.start());
        putInstant(out, w.end());
        out.putString(w.scope().canonical());
        out.putByte(hold.unit().ordinal());
        out.putVarLong(hold.limit());
        out.putVarLong(hold.amount());
      }
    } else if (record instanceof Settled s) {
      out.putByte(SETTLED);
      out.putString(s.id());
    } else {
      OutboxRecords.encode(out, record);
    }
    int payload = out.size() - start - FRAME;
    CRC32C crc = new CRC32C();
    crc.update(out.array(), start + FRAME, payload);
    out.setInt(start, payload);
    out.setInt(start + 4, (int) crc.getValue());
  }

  /** Decodes a payload whose checksum matched, written in journal {@code version}. */
  static JournalRecord decode(BinaryIn in, int version) throws FormatProblem {
    boolean withCost = version > Journal.VERSION_WITHOUT_COST;
    int kind = in.getByte();
    try {
      JournalRecord record = switch (kind) {
        case RECORDED -> {
          int n = in.getInt();
          if (n < 0) {
            throw new FormatProblem("negative event count");
          }
          List<Numbered> events = new ArrayList<>(Math.min(n, 4096));
          StoredEvent stored = new StoredEvent();
          for (int i = 0; i < n; i++) {
            stored.read(in, withCost);
            events.add(new Numbered(stored.seq, stored.toEvent()));
          }
          int m = in.getInt();
          List<WindowTotals> windows = new ArrayList<>(Math.max(0, Math.min(m, 64)));
          for (int i = 0; i < m; i++) {
            windows.add(withCost ? windowTotals(in) : windowTotalsWithoutCost(in));
          }
          yield new Recorded(events, windows);
        }
        case CLAIMED, CLAIMED_WITH_ALERT -> new Claimed(in.getString(), getInstant(in), getInstant(in),
            Double.longBitsToDouble(in.getLong()), kind == CLAIMED ? null : OutboxRecords.getClaim(in));
        case RESET -> {
          String budget = in.getString();
          Instant start = getInstant(in);
          Instant end = getInstant(in);
          int models = in.getShort();
          List<ModelGlob> globs = new ArrayList<>(models);
          for (int i = 0; i < models; i++) {
            globs.add(ModelGlob.of(in.getString()));
          }
          String project = in.getString();
          String session = in.getString();
          int tagCount = in.getByte();
          TreeMap<String, String> tags = new TreeMap<>();
          for (int i = 0; i < tagCount; i++) {
            tags.put(in.getString(), in.getString());
          }
          yield new Reset(new BudgetWindow(budget, start, end, new UsageFilter(globs, project, session, tags)));
        }
        case DROPPED -> new Dropped(getInstant(in));
        case SEALED -> new Sealed(in.getLong());
        case RESERVED -> reserved(in);
        case SETTLED -> new Settled(ReservationRequest.requireValidId(in.getString()));
        case TAKEN, DELIVERED, RETRIED, GAVE_UP, PENDING -> OutboxRecords.decode(kind, in);
        default -> throw new FormatProblem("unknown record kind " + kind);
      };
      if (in.hasMore()) {
        throw new FormatProblem("record of kind " + kind + " has bytes after its end");
      }
      return record;
    } catch (IllegalArgumentException | NullPointerException | java.time.DateTimeException e) {
      throw new FormatProblem("invalid record of kind " + kind + ": " + e.getMessage(), e);
    }
  }

  private static Reserved reserved(BinaryIn in) throws FormatProblem {
    String id = in.getString();
    Instant expiresAt = getInstant(in);
    int count = in.getShort();
    List<Hold> holds = new ArrayList<>(count);
    BudgetUnit[] units = BudgetUnit.values();
    for (int i = 0; i < count; i++) {
      BudgetWindow window = new BudgetWindow(in.getString(), getInstant(in), getInstant(in),
          UsageFilter.fromCanonical(in.getString()));
      int unit = in.getByte();
      if (unit >= units.length) {
        throw new FormatProblem("unknown budget unit " + unit);
      }
      holds.add(new Hold(window, units[unit], in.getVarLong(), in.getVarLong()));
    }
    return new Reserved(new ReservationRequest(id, expiresAt, holds));
  }

  private static WindowTotals windowTotals(BinaryIn in) throws FormatProblem {
    long ref = in.getVarLong() - 1;
    if (ref < -1 || ref > Integer.MAX_VALUE) {
      throw new FormatProblem("window reference " + ref + " is out of range");
    }
    String key = null;
    Instant start = null;
    Instant end = null;
    UsageFilter scope = null;
    if (ref < 0) {
      key = in.getString();
      start = getInstant(in);
      end = getInstant(in);
      scope = UsageFilter.fromCanonical(in.getString());
    }
    long[] v = new long[9];
    for (int i = 0; i < v.length; i++) {
      v[i] = in.getVarLong();
    }
    return new WindowTotals(key, start, end, scope, new Counts(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]),
        (int) ref);
  }

  /** Version 1: no scope (the key holds it) and no cost (every call of those totals is unpriced). */
  private static WindowTotals windowTotalsWithoutCost(BinaryIn in) throws FormatProblem {
    String key = in.getString();
    Instant start = getInstant(in);
    Instant end = getInstant(in);
    return WindowTotals.full(key, start, end, Windows.scopeInKey(key, start, end),
        new Counts(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong()));
  }

  static void putInstant(BinaryOut out, Instant at) {
    out.putLong(at.getEpochSecond());
    out.putInt(at.getNano());
  }

  static Instant getInstant(BinaryIn in) throws FormatProblem {
    return Instant.ofEpochSecond(in.getLong(), in.getInt());
  }
}
