package dev.tokenwatch.app.view;

import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** {@code report session} and {@code report project} as a table: a row per session or project, a total. */
public final class SessionReportText {

  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

  private SessionReportText() {}

  /** The report within {@code terminal}'s width ({@code wide}: every column, exact numbers). */
  public static String text(SessionReport report, Terminal terminal, boolean wide) {
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
    TextTable table = new TextTable(columns(bySession), 0);
    TreeSet<String> related = new TreeSet<>();
    for (SessionReport.Row row : report.rows()) {
      List<String> models = row.models().stream().map(SessionReport.ModelRow::model).toList();
      table.row(cells(key(row.key()), bySession ? TextTable.Cell.of(String.join(", ", row.related().stream()
          .map(SessionReportText::key).toList())) : ReportText.tokens(row.related().size()), hour(row.firstHour()),
          hour(row.lastHour()), String.join(", ", models), row.counts()));
      row.related().forEach(r -> related.add(key(r)));
      if (request.breakdown()) {
        for (SessionReport.ModelRow model : row.models()) {
          table.row(cells("", TextTable.Cell.of(""), "", "", "  " + model.model(), model.counts()));
        }
      }
    }
    table.row(true, cells("TOTAL", TextTable.Cell.of(bySession ? "" : Format.tokens(related.size())), "", "",
        Format.tokens(report.rows().size()) + (bySession ? " sessions" : " projects"), report.total()));
    text.append(table.render(terminal.width(), wide));
    return text.append(ReportText.unpricedNote(report.total())).toString();
  }

  /**
   * The columns, in the order they are left out of a narrow table: cache creation, cache read, input,
   * output, calls, the first hour, the models, the project (or sessions); the session (or project),
   * the last hour, total and cost always stay.
   */
  private static List<TextTable.Column> columns(boolean bySession) {
    return List.of(new TextTable.Column(bySession ? "Session" : "Project", false, TextTable.KEEP),
        new TextTable.Column(bySession ? "Project" : "Sessions", !bySession, 2),
        new TextTable.Column("First (hour)", false, 4), new TextTable.Column("Last (hour)", false, TextTable.KEEP),
        new TextTable.Column("Models", false, 3), new TextTable.Column("Input", true, 7),
        new TextTable.Column("Output", true, 6), new TextTable.Column("Cache creation", true, 9),
        new TextTable.Column("Cache read", true, 8), new TextTable.Column("Total", true, TextTable.KEEP),
        new TextTable.Column("Calls", true, 5), new TextTable.Column("Cost (USD)", true, TextTable.KEEP));
  }

  private static String key(String key) {
    return key == null ? "(none)" : key;
  }

  private static String hour(ZonedDateTime hour) {
    return HOUR.format(hour);
  }

  private static TextTable.Cell[] cells(String key, TextTable.Cell related, String first, String last, String models,
      Counts c) {
    return new TextTable.Cell[] {TextTable.Cell.of(key), related, TextTable.Cell.of(first), TextTable.Cell.of(last),
        TextTable.Cell.of(models), ReportText.tokens(c.inputTokens()), ReportText.tokens(c.outputTokens()),
        ReportText.tokens(c.cacheCreationTokens()), ReportText.tokens(c.cacheReadTokens()),
        ReportText.tokens(c.totalTokens()), ReportText.tokens(c.calls()), TextTable.Cell.of(ReportText.cost(c))};
  }
}
