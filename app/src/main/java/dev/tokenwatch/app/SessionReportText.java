package dev.tokenwatch.app;

import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** {@code report session} and {@code report project} as a table: a row per session or project, a total. */
final class SessionReportText {

  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
  private static final String[] NUMBERS = {"Input", "Output", "Cache creation", "Cache read", "Total", "Calls",
      "Cost (USD)"};

  private SessionReportText() {}

  static String text(SessionReport report) {
    SessionReport.Request request = report.request();
    boolean bySession = request.by().equals(Dimension.SESSION);
    StringBuilder text = new StringBuilder();
    text.append("Usage by ").append(bySession ? "session" : "project")
        .append(", newest activity first, with the hours of the first and last activity")
        .append(ReportText.range(request.since(), request.until(), request.zone())).append('\n');
    if (!request.filter().isAny()) {
      text.append("Only ").append(request.filter()).append('\n');
    }
    if (report.repricedWith() != null) {
      text.append("Repriced: every event priced again with today's prices (")
          .append(report.repricedWith().description())
          .append("), not the costs stored when it was recorded; the ledger is unchanged.\n");
    }
    if (report.reachesBeforeRetained()) {
      text.append("Note: usage before ").append(Format.time(report.retainedFrom().atZone(request.zone())))
          .append(" was dropped by the store's retention; the figures start there.\n");
    }
    text.append('\n');
    if (report.rows().isEmpty()) {
      return text.append("No usage recorded in this range.\n").toString();
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(cells(bySession ? "Session" : "Project", bySession ? "Project" : "Sessions", "First (hour)", "Last (hour)",
        "Models", NUMBERS));
    TreeSet<String> related = new TreeSet<>();
    for (SessionReport.Row row : report.rows()) {
      List<String> models = row.models().stream().map(SessionReport.ModelRow::model).toList();
      rows.add(cells(key(row.key()), bySession ? String.join(", ", row.related().stream().map(SessionReportText::key)
          .toList()) : Format.tokens(row.related().size()), hour(row.firstHour()), hour(row.lastHour()),
          String.join(", ", models), numbers(row.counts())));
      row.related().forEach(r -> related.add(key(r)));
      if (request.breakdown()) {
        for (SessionReport.ModelRow model : row.models()) {
          rows.add(cells("", "", "", "", "  " + model.model(), numbers(model.counts())));
        }
      }
    }
    rows.add(cells("TOTAL", bySession ? "" : Format.tokens(related.size()), "", "",
        Format.tokens(report.rows().size()) + (bySession ? " sessions" : " projects"), numbers(report.total())));
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (int r = 0; r < rows.size(); r++) {
      if (r == rows.size() - 1) {
        text.append('\n'); // the total stands apart
      }
      text.append(line(rows.get(r), widths, bySession));
    }
    return text.append(ReportText.unpricedNote(report.total())).toString();
  }

  private static String key(String key) {
    return key == null ? "(none)" : key;
  }

  private static String hour(ZonedDateTime hour) {
    return HOUR.format(hour);
  }

  private static String[] numbers(Counts c) {
    return new String[] {Format.tokens(c.inputTokens()), Format.tokens(c.outputTokens()),
        Format.tokens(c.cacheCreationTokens()), Format.tokens(c.cacheReadTokens()), Format.tokens(c.totalTokens()),
        Format.tokens(c.calls()), ReportText.cost(c)};
  }

  private static String[] cells(String key, String related, String first, String last, String models,
      String[] numbers) {
    String[] cells = new String[5 + numbers.length];
    cells[0] = key;
    cells[1] = related;
    cells[2] = first;
    cells[3] = last;
    cells[4] = models;
    System.arraycopy(numbers, 0, cells, 5, numbers.length);
    return cells;
  }

  /** Text columns left-aligned, numbers (and a project's session count) right-aligned. */
  private static String line(String[] row, int[] widths, boolean bySession) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < row.length; i++) {
      if (i > 0) {
        line.append("  ");
      }
      boolean textColumn = i == 0 || (i == 1 && bySession) || i == 2 || i == 3 || i == 4;
      line.append(String.format(Locale.ROOT, "%" + (textColumn ? "-" : "") + widths[i] + "s", row[i]));
    }
    return line.toString().stripTrailing() + "\n";
  }
}
