package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.outbox.AlertText;
import dev.tokenwatch.domain.outbox.PendingAlert;
import dev.tokenwatch.persistence.file.JournalRecord.Delivered;
import dev.tokenwatch.persistence.file.JournalRecord.Entry;
import dev.tokenwatch.persistence.file.JournalRecord.GaveUp;
import dev.tokenwatch.persistence.file.JournalRecord.Pending;
import dev.tokenwatch.persistence.file.JournalRecord.Retried;
import dev.tokenwatch.persistence.file.JournalRecord.Taken;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of the outbox's journal records. Every string is a text ({@link BinaryOut#putText}:
 * varint length, UTF-8; no length limit, since an alert's message and a sink's problem are not
 * bounded), an alert is its {@link AlertText}, an instant is seconds (long) and nanos (int).
 *
 * <pre>
 * Claimed with an alert (kind 8)  the claim's fields (kind 2), alert, leaseUntil, sinks (varint count, texts)
 * Taken (9)                       leaseUntil, entries (varint count, each alertId, sink)
 * Delivered (10)                  alertId, sink
 * Retried (11)                    alertId, sink, nextAttempt, problem
 * GaveUp (12)                     alertId, sink, problem
 * Pending (13)                    sink, alert, queuedAt, attempts (varint), nextAttemptAt, lastProblem, givenUp (byte)
 * </pre>
 */
final class OutboxRecords {

  private OutboxRecords() {}

  /** Appends what a won claim queued: its alert, lease and sinks. */
  static void putClaim(BinaryOut out, AlertClaim claim) {
    out.putText(AlertText.encode(claim.alert()));
    JournalRecord.putInstant(out, claim.leaseUntil());
    out.putVarLong(claim.sinks().size());
    for (String sink : claim.sinks()) {
      out.putText(sink);
    }
  }

  static AlertClaim getClaim(BinaryIn in) throws FormatProblem {
    String alert = in.getText();
    Instant leaseUntil = JournalRecord.getInstant(in);
    int count = count(in);
    List<String> sinks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      sinks.add(in.getText());
    }
    return new AlertClaim(AlertText.decode(alert), sinks, leaseUntil);
  }

  /** Appends the payload (after the kind byte's place) of an outbox record. */
  static void encode(BinaryOut out, JournalRecord record) {
    if (record instanceof Taken t) {
      out.putByte(JournalRecord.TAKEN);
      JournalRecord.putInstant(out, t.leaseUntil());
      out.putVarLong(t.entries().size());
      for (Entry e : t.entries()) {
        putEntry(out, e);
      }
    } else if (record instanceof Delivered d) {
      out.putByte(JournalRecord.DELIVERED);
      putEntry(out, d.entry());
    } else if (record instanceof Retried r) {
      out.putByte(JournalRecord.RETRIED);
      putEntry(out, r.entry());
      JournalRecord.putInstant(out, r.nextAttempt());
      out.putText(r.problem());
    } else if (record instanceof GaveUp g) {
      out.putByte(JournalRecord.GAVE_UP);
      putEntry(out, g.entry());
      out.putText(g.problem());
    } else if (record instanceof Pending p) {
      PendingAlert e = p.entry();
      out.putByte(JournalRecord.PENDING);
      out.putText(e.sink());
      out.putText(AlertText.encode(e.alert()));
      JournalRecord.putInstant(out, e.queuedAt());
      out.putVarLong(e.attempts());
      JournalRecord.putInstant(out, e.nextAttemptAt());
      out.putText(e.lastProblem());
      out.putByte(e.givenUp() ? 1 : 0);
    } else {
      throw new IllegalArgumentException("not an outbox record: " + record);
    }
  }

  /** Decodes the rest of an outbox record of {@code kind}. */
  static JournalRecord decode(int kind, BinaryIn in) throws FormatProblem {
    return switch (kind) {
      case JournalRecord.TAKEN -> {
        Instant leaseUntil = JournalRecord.getInstant(in);
        int count = count(in);
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          entries.add(getEntry(in));
        }
        yield new Taken(leaseUntil, entries);
      }
      case JournalRecord.DELIVERED -> new Delivered(getEntry(in));
      case JournalRecord.RETRIED -> new Retried(getEntry(in), JournalRecord.getInstant(in), in.getText());
      case JournalRecord.GAVE_UP -> new GaveUp(getEntry(in), in.getText());
      case JournalRecord.PENDING -> {
        String sink = in.getText();
        String alert = in.getText();
        Instant queuedAt = JournalRecord.getInstant(in);
        long attempts = in.getVarLong();
        if (attempts < 0 || attempts > Integer.MAX_VALUE) {
          throw new FormatProblem("attempts " + attempts + " out of range");
        }
        Instant next = JournalRecord.getInstant(in);
        String problem = in.getText();
        int givenUp = in.getByte();
        if (givenUp > 1) {
          throw new FormatProblem("given-up flag " + givenUp + " is neither 0 nor 1");
        }
        yield new Pending(new PendingAlert(sink, AlertText.decode(alert), queuedAt, (int) attempts, next, problem,
            givenUp == 1));
      }
      default -> throw new FormatProblem("unknown outbox record kind " + kind);
    };
  }

  private static void putEntry(BinaryOut out, Entry e) {
    out.putText(e.alertId());
    out.putText(e.sink());
  }

  private static Entry getEntry(BinaryIn in) throws FormatProblem {
    return new Entry(in.getText(), in.getText());
  }

  /** A count that cannot claim more elements than bytes are left (each takes at least one). */
  private static int count(BinaryIn in) throws FormatProblem {
    long count = in.getVarLong();
    if (count < 0 || count > in.remaining()) {
      throw new FormatProblem("count " + count + " is out of range (" + in.remaining() + " bytes left)");
    }
    return (int) count;
  }
}
