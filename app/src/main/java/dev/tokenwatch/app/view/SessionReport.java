package dev.tokenwatch.app.view;

import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.TimeGrain;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.ledger.UsageRow;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * {@code report session} and {@code report project}: a row per session (or project) over the range,
 * newest activity first, with the hours of its first and last activity, the models used, its tokens
 * and cost, and with {@code --breakdown} a row per model. One ledger query answers it, per hour and
 * (session, project, model), so it is exact in tokens and cost on any store, and the times are exact
 * to the hour (the ledger keeps totals per hour, not each event's time, for a query).
 */
public final class SessionReport {

  /**
   * What to report.
   *
   * @param by {@link Dimension#SESSION} or {@link Dimension#PROJECT}
   * @param zone the zone the hours are shown and the days cut in
   * @param since first day, inclusive, or {@code null}
   * @param until last day, inclusive, or {@code null}
   * @param filter which events count
   * @param breakdown whether each row gets a row per model
   */
  public record Request(Dimension by, ZoneId zone, LocalDate since, LocalDate until, UsageFilter filter, boolean breakdown) {
    public Request {
      if (!by.equals(Dimension.SESSION) && !by.equals(Dimension.PROJECT)) {
        throw new IllegalArgumentException("a session report is by session or project, got " + by);
      }
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(filter, "filter");
    }

    /** The ledger query: per hour and (session, project, model) over exact days of the zone. */
    public UsageQuery query() {
      Instant from = since == null ? null : since.atStartOfDay(zone).toInstant();
      Instant to = until == null ? null : until.plusDays(1).atStartOfDay(zone).toInstant();
      return UsageQuery.all().between(from, to).filter(filter).per(TimeGrain.HOUR, zone)
          .groupBy(Dimension.SESSION, Dimension.PROJECT, Dimension.MODEL);
    }
  }

  /**
   * One session or project.
   *
   * @param key the session or project, {@code null} for events without one
   * @param related for a session its projects, for a project its sessions (sorted; {@code null} for
   *     events without one)
   * @param firstHour start of the hour of its first activity, in the report's zone
   * @param lastHour start of the hour of its last activity
   * @param models the models used, largest total first, with their totals
   * @param counts its totals
   */
  record Row(String key, List<String> related, ZonedDateTime firstHour, ZonedDateTime lastHour,
      List<ModelRow> models, Counts counts) {}

  /** A model's totals within a row. */
  record ModelRow(String model, Counts counts) {}

  private final Request request;
  private final List<Row> rows;
  private final Counts total;
  private final UsageAnswer answer;
  private final PriceTable repricedWith;

  private SessionReport(Request request, List<Row> rows, Counts total, UsageAnswer answer, PriceTable repricedWith) {
    this.request = request;
    this.rows = List.copyOf(rows);
    this.total = total;
    this.answer = answer;
    this.repricedWith = repricedWith;
  }

  /** The report of {@code answer}, the answer to {@link Request#query()} (repriced with a table, or not: null). */
  public static SessionReport of(Request request, UsageAnswer answer, PriceTable repricedWith) {
    boolean bySession = request.by().equals(Dimension.SESSION);
    Map<String, Group> groups = new LinkedHashMap<>();
    Counts total = Counts.ZERO;
    for (UsageRow row : answer.rows()) {
      String key = row.key(bySession ? 0 : 1);
      Group group = groups.computeIfAbsent(key, k -> new Group());
      group.add(row, row.key(bySession ? 1 : 0));
      total = total.plus(row.counts());
    }
    List<Row> rows = new ArrayList<>();
    groups.forEach((key, group) -> rows.add(group.row(key, request.zone())));
    rows.sort(Comparator.comparing(Row::lastHour).reversed()
        .thenComparing(Comparator.comparingLong((Row r) -> r.counts().totalTokens()).reversed())
        .thenComparing(Row::key, Comparator.nullsLast(Comparator.naturalOrder())));
    return new SessionReport(request, rows, total, answer, repricedWith);
  }

  Request request() {
    return request;
  }

  /** Newest activity first (then largest total). */
  List<Row> rows() {
    return rows;
  }

  Counts total() {
    return total;
  }

  /** Where the store's retained data begins, or {@code null}. */
  Instant retainedFrom() {
    return answer.retainedFrom();
  }

  boolean reachesBeforeRetained() {
    return answer.reachesBeforeRetained();
  }

  /** The table every event was priced with again, or {@code null}: the stored costs. */
  PriceTable repricedWith() {
    return repricedWith;
  }

  /** The rows of one session or project while the answer is read. */
  private static final class Group {
    private Instant first;
    private Instant last;
    private Counts counts = Counts.ZERO;
    private final Map<String, Counts> models = new HashMap<>();
    private final TreeSet<String> related = new TreeSet<>(Comparator.nullsLast(Comparator.naturalOrder()));

    void add(UsageRow row, String relatedKey) {
      first = first == null || row.start().isBefore(first) ? row.start() : first;
      last = last == null || row.start().isAfter(last) ? row.start() : last;
      counts = counts.plus(row.counts());
      models.merge(row.key(2), row.counts(), Counts::plus);
      related.add(relatedKey);
    }

    Row row(String key, ZoneId zone) {
      List<ModelRow> byModel = new ArrayList<>();
      models.forEach((model, c) -> byModel.add(new ModelRow(model, c)));
      byModel.sort(Comparator.comparingLong((ModelRow m) -> m.counts().totalTokens()).reversed()
          .thenComparing(ModelRow::model));
      return new Row(key, new ArrayList<>(related), first.atZone(zone), last.atZone(zone), byModel, counts);
    }
  }
}
