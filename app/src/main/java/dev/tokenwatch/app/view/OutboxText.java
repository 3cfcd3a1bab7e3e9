package dev.tokenwatch.app.view;

import dev.tokenwatch.app.logging.Redaction;
import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.outbox.PendingAlert;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The alert outbox as {@code status} and {@code doctor} show it: what waits, and what was given up. */
public final class OutboxText {

  private static final int LISTED = 5;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private OutboxText() {}

  /** One line per waiting or given-up alert (at most five of each, then a count), or "" for none. */
  public static String text(List<PendingAlert> undelivered) {
    List<PendingAlert> waiting = undelivered.stream().filter(e -> !e.givenUp()).toList();
    List<PendingAlert> givenUp = undelivered.stream().filter(PendingAlert::givenUp).toList();
    StringBuilder out = new StringBuilder();
    section(out, waiting, " waiting for delivery (tried again by any tokenwatch command)");
    section(out, givenUp, " given up (not delivered within notifiers.giveUpAfter)");
    return out.toString();
  }

  private static void section(StringBuilder out, List<PendingAlert> entries, String what) {
    if (entries.isEmpty()) {
      return;
    }
    out.append(entries.size()).append(entries.size() == 1 ? " alert" : " alerts").append(what).append(":\n");
    for (PendingAlert entry : entries.subList(0, Math.min(LISTED, entries.size()))) {
      out.append("  ").append(line(entry)).append('\n');
    }
    if (entries.size() > LISTED) {
      out.append("  and ").append(entries.size() - LISTED).append(" more\n");
    }
  }

  private static String line(PendingAlert entry) {
    Alert alert = entry.alert();
    return "budget '" + alert.budgetName() + "' " + alert.state() + ", raised " + TIME.format(alert.timestamp())
        + ", to " + entry.sink() + ", " + entry.attempts() + (entry.attempts() == 1 ? " attempt" : " attempts")
        + (entry.lastProblem().isEmpty() ? "" : ", last: " + Redaction.redact(entry.lastProblem()))
        + (entry.givenUp() ? "" : ", next attempt " + TIME.format(entry.nextAttemptAt()))
        + " (alert " + alert.id() + ")";
  }
}
