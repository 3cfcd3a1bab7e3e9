package dev.tokenwatch.notifier.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.AlertKind;
import dev.tokenwatch.domain.AlertLevel;
import dev.tokenwatch.domain.BudgetUnit;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The JSON a webhook receives for an alert: {@code text} (shown in notifications and by clients
 * without Block Kit) plus a header, a section with the figures (the budget, its scope unless it
 * counts all usage, the amount against the limit in the budget's unit, the threshold and the reset)
 * and a context line naming the host and the alert's id (the same in every retry, so a repeat can be
 * dropped).
 *
 * <p>Every piece of text that comes from outside (budget name, scope, host name) is escaped for Slack
 * ({@code & < >}), so a name such as {@code <!channel>} cannot ping anyone or forge a link.
 */
final class SlackPayload {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Slack rejects headers longer than 150 characters. */
  private static final int MAX_NAME_IN_HEADER = 80;
  private static final int MAX_NAME = 500;

  private SlackPayload() {}

  /** The request body for {@code alert}, sent from {@code hostName}. */
  static byte[] render(Alert alert, String hostName) {
    String name = escape(abbreviate(alert.budgetName(), MAX_NAME));
    Figures figures = new Figures(alert);
    String used = figures.usedOfLimit + " (" + Alert.formatPercent(alert.percentage()) + ')';
    String resets = Alert.formatPeriodEnd(alert.periodEnd()) + " (" + alert.period().label() + ')';

    ObjectNode root = JSON.createObjectNode();
    root.put("text", emoji(alert.level()) + ' ' + alert.level() + ": "
        + summary(alert, figures, " — ", text -> escape(abbreviate(text, MAX_NAME))));
    ArrayNode blocks = root.putArray("blocks");

    ObjectNode header = blocks.addObject().put("type", "header");
    header.putObject("text").put("type", "plain_text").put("emoji", true)
        .put("text", emoji(alert.level()) + ' ' + alert.level() + ": budget "
            + escape(abbreviate(alert.budgetName(), MAX_NAME_IN_HEADER)) + ' ' + alert.state());

    ObjectNode section = blocks.addObject().put("type", "section");
    ArrayNode fields = section.putArray("fields");
    field(fields, "Budget", name);
    if (!alert.scope().isAny()) {
      field(fields, "Scope", escape(abbreviate(alert.scope().toString(), MAX_NAME)));
    }
    field(fields, "Used", used + figures.beside(" — ") + figures.note("\n"));
    if (alert.kind() != AlertKind.TEST) {
      field(fields, "Threshold", Alert.formatPercent(alert.threshold()));
    }
    field(fields, "Resets", resets);

    ObjectNode context = blocks.addObject().put("type", "context");
    context.putArray("elements").addObject().put("type", "mrkdwn")
        .put("text", "tokenwatch on *" + escape(abbreviate(hostName, MAX_NAME)) + "* · raised " + alert.timestamp()
            + " · alert " + alert.id());
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      // only reachable through a Jackson bug: the tree holds strings, numbers and booleans
      throw new UncheckedIOException("Cannot write the Slack message as JSON", e);
    }
  }

  /**
   * "budget 'opus' (model claude-opus-*) at 75.0% — $187.40 of $250.00 — 48,000,000 tokens; 3
   * unpriced calls (1,200 tokens) not counted (monthly, resets 2026-12-01 00:00 UTC)", the text from
   * outside (budget name, scope) passed through {@code clean}.
   */
  private static String summary(Alert alert, Figures figures, String dash, UnaryOperator<String> clean) {
    String label = (alert.unit() == BudgetUnit.USD ? "budget '" : "token budget '") + clean.apply(alert.budgetName())
        + '\'' + (alert.scope().isAny() ? "" : " (" + clean.apply(alert.scope().toString()) + ')');
    return label + ' ' + alert.state() + dash + figures.usedOfLimit
        + figures.beside(dash) + figures.note("; ") + " (" + alert.period().label() + ", resets "
        + Alert.formatPeriodEnd(alert.periodEnd()) + ')';
  }

  /** An alert's figures ({@link Alert#figures()}) with the separators of a message. */
  private static final class Figures {
    final String usedOfLimit;
    private final Alert.Figures figures;

    Figures(Alert alert) {
      this.figures = alert.figures();
      this.usedOfLimit = figures.usedOfLimit();
    }

    /** "{dash}48,000,000 tokens", "{dash}$3.12", or "". */
    String beside(String dash) {
      return figures.beside().isEmpty() ? "" : dash + figures.beside();
    }

    /** "{separator}3 unpriced calls (1,200 tokens) not counted", or "". */
    String note(String separator) {
      return figures.unpriced().isEmpty() ? "" : separator + figures.unpriced();
    }
  }

  /** Escapes Slack's control characters: {@code &} {@code <} {@code >}. */
  static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        default -> sb.append(Character.isISOControl(c) ? ' ' : c);
      }
    }
    return sb.toString();
  }

  /** Control characters shown as {@code \\uXXXX}, so a name cannot split or forge a log line. */
  static String printable(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static void field(ArrayNode fields, String label, String value) {
    fields.addObject().put("type", "mrkdwn").put("text", '*' + label + "*\n" + value);
  }

  private static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + '…';
  }

  private static String emoji(AlertLevel level) {
    return switch (level) {
      case INFO -> ":information_source:";
      case WARNING -> ":warning:";
      case CRITICAL -> ":rotating_light:";
    };
  }
}
