package dev.tokenwatch.app.view;

import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.ingest.CostUsd;
import dev.tokenwatch.ingest.UsageReport;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code report --csv}: RFC 4180 (a header row, CRLF line ends, a field quoted where it holds a comma,
 * a quote or a line break, quotes doubled), a row per group and period (and per model with {@code
 * --breakdown}), no total rows, raw numbers. Column names are {@code --json}'s field names and are
 * stable; new columns may be added at the end. An absent value (a group without the dimension, a cost
 * where no event has a price) is an empty field.
 */
public final class ReportCsv {

  /** After the key columns of every report. */
  static final List<String> COUNTS = List.of("inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens",
      "totalTokens", "calls", "costUsd", "unpricedEvents", "unpricedTokens");

  private ReportCsv() {}

  /** {@code report daily|weekly|monthly --csv}: start,end,GROUP[,model],counts. */
  public static String periods(UsageReport report) {
    UsageReport.Request request = report.request();
    boolean breakdown = request.breaksDown();
    List<String> header = new ArrayList<>(List.of("start", "end", field(request.by())));
    if (breakdown) {
      header.add("model");
    }
    header.addAll(COUNTS);
    StringBuilder s = new StringBuilder();
    record(s, header);
    for (UsageReport.Period period : report.periods()) {
      for (UsageReport.Row row : period.rows()) {
        if (breakdown) {
          for (UsageReport.Row model : row.models()) {
            record(s, counts(List.of(period.start().toString(), period.end().toString(), key(row.key()),
                key(model.key())), model.counts()));
          }
        } else {
          record(s, counts(List.of(period.start().toString(), period.end().toString(), key(row.key())),
              row.counts()));
        }
      }
    }
    return s.toString();
  }

  /**
   * {@code report session|project --csv}: session,projects (or project,sessions),firstHour,lastHour,
   * models (or model with {@code --breakdown}: a row per model),counts. Lists are joined with ";".
   */
  public static String sessions(SessionReport report) {
    boolean bySession = report.request().by().equals(Dimension.SESSION);
    boolean breakdown = report.request().breakdown();
    List<String> header = new ArrayList<>(bySession ? List.of("session", "projects") : List.of("project", "sessions"));
    header.addAll(List.of("firstHour", "lastHour", breakdown ? "model" : "models"));
    header.addAll(COUNTS);
    StringBuilder s = new StringBuilder();
    record(s, header);
    for (SessionReport.Row row : report.rows()) {
      String related = bySession ? String.join(";", row.related().stream().map(ReportCsv::key).toList())
          : Integer.toString(row.related().size());
      List<String> keys = List.of(key(row.key()), related, Json.time(row.firstHour()), Json.time(row.lastHour()));
      if (breakdown) {
        for (SessionReport.ModelRow model : row.models()) {
          record(s, counts(plus(keys, key(model.model())), model.counts()));
        }
      } else {
        String models = String.join(";", row.models().stream().map(m -> key(m.model())).toList());
        record(s, counts(plus(keys, models), row.counts()));
      }
    }
    return s.toString();
  }

  /** {@code report --json}'s name of a row's key: model, project, session or tag. */
  private static String field(Dimension by) {
    return by.kind().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static List<String> plus(List<String> fields, String field) {
    List<String> all = new ArrayList<>(fields);
    all.add(field);
    return all;
  }

  private static List<String> counts(List<String> keys, Counts c) {
    List<String> fields = new ArrayList<>(keys);
    fields.addAll(List.of(Long.toString(c.inputTokens()), Long.toString(c.outputTokens()),
        Long.toString(c.cacheCreationTokens()), Long.toString(c.cacheReadTokens()), Long.toString(c.totalTokens()),
        Long.toString(c.calls()), UsageReport.unpriced(c) ? "" : CostUsd.of(c.costNanoUsd()).toPlainString(),
        Long.toString(c.unpricedCalls()), Long.toString(c.unpricedTokens())));
    return fields;
  }

  private static String key(String key) {
    return key == null ? "" : key;
  }

  private static void record(StringBuilder s, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        s.append(',');
      }
      s.append(quoted(fields.get(i)));
    }
    s.append("\r\n");
  }

  /** The field as RFC 4180 writes it: in quotes, with quotes doubled, where it holds , " CR or LF. */
  public static String quoted(String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\r') < 0 && field.indexOf('\n') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
