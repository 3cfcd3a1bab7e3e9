package dev.tokenwatch.domain.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.TimeGrain;
import dev.tokenwatch.domain.ledger.UsageAnswer;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.ledger.UsageRow;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@code UsageStore#query}: every grouping and grain, zone boundaries (a
 * daylight-saving day, zones 30 and 45 minutes off the hour), filters, exact range bounds and order.
 * The figures are worked out by hand in each test; {@link LedgerOracleContract} compares many more
 * queries with an independent computation.
 */
public abstract class LedgerQueryContract extends LedgerOracleContract {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");
  private static final ZoneId KATHMANDU = ZoneId.of("Asia/Kathmandu");

  private static TokenUsageEvent at(String time, String model, long total) {
    return TokenUsageEvent.builder(model).inputTokens(total).timestamp(Instant.parse(time)).build();
  }

  private static UsageRow row(String start, long total, String... keys) {
    return new UsageRow(start == null ? null : Instant.parse(start), Arrays.asList(keys),
        new Counts(total, 0, 0, 0, total, 1));
  }

  private static UsageRow row(String start, long total, long calls, String... keys) {
    return new UsageRow(start == null ? null : Instant.parse(start), Arrays.asList(keys),
        new Counts(total, 0, 0, 0, total, calls));
  }

  private List<UsageRow> rows(UsageQuery query) {
    return store.query(query).rows();
  }

  @Test
  void emptyLedgerAnswersNoRows() {
    UsageAnswer answer = store.query(UsageQuery.all());
    assertThat(answer.rows()).isEmpty();
    assertThat(answer.total()).isEqualTo(Counts.ZERO);
    assertThat(answer.retainedFrom()).isNull();
    assertThat(answer.reachesBeforeRetained()).isFalse();
  }

  @Test
  void everyKindOfTokenIsSummedPerModel() {
    TokenUsageEvent claude = TokenUsageEvent.builder("claude-sonnet-4").inputTokens(10).outputTokens(20)
        .cacheCreationTokens(30).cacheReadTokens(40).totalTokens(105).timestamp(JAN.plusSeconds(5)).build();
    record(claude, claude, event("gpt-4o", 1000, 1, JAN.plusSeconds(6), null));

    assertThat(rows(UsageQuery.all().groupBy(Dimension.MODEL))).containsExactly(
        new UsageRow(null, List.of("gpt-4o"), new Counts(1000, 1, 0, 0, 1001, 1)),
        new UsageRow(null, List.of("claude-sonnet-4"), new Counts(20, 40, 60, 80, 210, 2)));
    assertThat(store.query(UsageQuery.all()).total()).isEqualTo(new Counts(1020, 41, 60, 80, 1211, 3));
  }

  @Test
  void rangeIsExactToTheEvent() {
    record(at("2026-01-10T09:59:59.999Z", "m", 1), at("2026-01-10T10:00:00Z", "m", 10),
        at("2026-01-10T10:30:00Z", "m", 100), at("2026-01-10T11:00:00Z", "m", 1000));
    UsageQuery query = UsageQuery.all()
        .between(Instant.parse("2026-01-10T10:00:00Z"), Instant.parse("2026-01-10T11:00:00Z"));
    assertThat(store.query(query).total().totalTokens()).isEqualTo(110);
    assertThat(store.query(UsageQuery.all().between(null, Instant.parse("2026-01-10T10:00:00Z"))).total()
        .totalTokens()).isEqualTo(1);
    assertThat(store.query(UsageQuery.all().between(Instant.parse("2026-01-10T10:30:00.001Z"), null)).total()
        .totalTokens()).isEqualTo(1000);
  }

  @Test
  void rowsPerHourDayWeekAndMonthInUtc() {
    record(at("2026-01-04T23:30:00Z", "m", 1), // Sunday
        at("2026-01-05T00:10:00Z", "m", 2), // Monday, new week
        at("2026-01-05T00:50:00Z", "m", 4),
        at("2026-01-31T23:59:59Z", "m", 8),
        at("2026-02-01T00:00:00Z", "m", 16));

    assertThat(rows(UsageQuery.all().per(TimeGrain.HOUR, ZoneOffset.UTC))).containsExactly(
        row("2026-01-04T23:00:00Z", 1), row("2026-01-05T00:00:00Z", 6, 2),
        row("2026-01-31T23:00:00Z", 8), row("2026-02-01T00:00:00Z", 16));
    assertThat(rows(UsageQuery.all().per(TimeGrain.DAY, ZoneOffset.UTC))).containsExactly(
        row("2026-01-04T00:00:00Z", 1), row("2026-01-05T00:00:00Z", 6, 2),
        row("2026-01-31T00:00:00Z", 8), row("2026-02-01T00:00:00Z", 16));
    assertThat(rows(UsageQuery.all().per(TimeGrain.WEEK, ZoneOffset.UTC))).containsExactly(
        row("2025-12-29T00:00:00Z", 1), row("2026-01-05T00:00:00Z", 6, 2),
        row("2026-01-26T00:00:00Z", 24, 2));
    assertThat(rows(UsageQuery.all().per(TimeGrain.MONTH, ZoneOffset.UTC))).containsExactly(
        row("2026-01-01T00:00:00Z", 15, 4), row("2026-02-01T00:00:00Z", 16));
  }

  @Test
  void daylightSavingDaysHaveTheirTrueLength() {
    // Berlin: 2026-03-29 has 23 hours (02:00 -> 03:00), 2026-10-25 has 25 (03:00 -> 02:00)
    record(at("2026-03-28T22:59:59Z", "m", 1), // 23:59:59 on the 28th (+01:00)
        at("2026-03-28T23:00:00Z", "m", 2), // 00:00 on the 29th
        at("2026-03-29T21:59:59Z", "m", 4), // 23:59:59 on the 29th (+02:00)
        at("2026-03-29T22:00:00Z", "m", 8), // 00:00 on the 30th
        at("2026-10-24T22:00:00Z", "m", 16), // 00:00 on the 25th (+02:00)
        at("2026-10-25T00:30:00Z", "m", 32), // 02:30 +02:00, the first 02:30
        at("2026-10-25T01:30:00Z", "m", 64), // 02:30 +01:00, the second
        at("2026-10-25T22:59:59Z", "m", 128)); // 23:59:59 on the 25th (+01:00)

    assertThat(rows(UsageQuery.all().per(TimeGrain.DAY, BERLIN))).containsExactly(
        row("2026-03-27T23:00:00Z", 1), row("2026-03-28T23:00:00Z", 6, 2), row("2026-03-29T22:00:00Z", 8),
        row("2026-10-24T22:00:00Z", 240, 4));
    assertThat(rows(UsageQuery.all().between(Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-25T02:00:00Z"))
        .per(TimeGrain.HOUR, BERLIN))).containsExactly(
        row("2026-10-25T00:00:00Z", 32), row("2026-10-25T01:00:00Z", 64));
    assertThat(rows(UsageQuery.all().per(TimeGrain.MONTH, BERLIN))).containsExactly(
        row("2026-02-28T23:00:00Z", 15, 4), row("2026-09-30T22:00:00Z", 240, 4));
  }

  @Test
  void zonesOffTheHourCutTheirOwnDaysAndHours() {
    // Kolkata is +05:30: its days start at 18:30Z; Kathmandu is +05:45: at 18:15Z
    record(at("2026-01-10T18:14:59Z", "m", 1), at("2026-01-10T18:15:00Z", "m", 2),
        at("2026-01-10T18:29:59Z", "m", 4), at("2026-01-10T18:30:00Z", "m", 8),
        at("2026-01-10T19:44:59Z", "m", 16), at("2026-01-10T19:45:00Z", "m", 32));

    assertThat(rows(UsageQuery.all().per(TimeGrain.DAY, KOLKATA))).containsExactly(
        row("2026-01-09T18:30:00Z", 7, 3), row("2026-01-10T18:30:00Z", 56, 3));
    assertThat(rows(UsageQuery.all().per(TimeGrain.DAY, KATHMANDU))).containsExactly(
        row("2026-01-09T18:15:00Z", 1), row("2026-01-10T18:15:00Z", 62, 5));
    assertThat(rows(UsageQuery.all().per(TimeGrain.HOUR, KOLKATA))).containsExactly(
        row("2026-01-10T17:30:00Z", 7, 3), row("2026-01-10T18:30:00Z", 8), row("2026-01-10T19:30:00Z", 48, 2));
    assertThat(rows(UsageQuery.all().per(TimeGrain.HOUR, KATHMANDU))).containsExactly(
        row("2026-01-10T17:15:00Z", 1), row("2026-01-10T18:15:00Z", 14, 3), row("2026-01-10T19:15:00Z", 48, 2));
  }

  @Test
  void groupsByEveryDimensionWithAbsentValuesLast() {
    record(
        TokenUsageEvent.builder("a").inputTokens(1).timestamp(JAN).project("p1").session("s1").tag("team", "x").build(),
        TokenUsageEvent.builder("a").inputTokens(2).timestamp(JAN).project("p2").session("s1").build(),
        TokenUsageEvent.builder("b").inputTokens(4).timestamp(JAN).project("p1").session("s2").tag("team", "y").build(),
        TokenUsageEvent.builder("b").inputTokens(8).timestamp(JAN).build());

    assertThat(rows(UsageQuery.all().groupBy(Dimension.PROJECT))).containsExactly(
        row(null, 8, (String) null), row(null, 5, 2, "p1"), row(null, 2, "p2"));
    assertThat(rows(UsageQuery.all().groupBy(Dimension.SESSION))).containsExactly(
        row(null, 8, (String) null), row(null, 4, "s2"), row(null, 3, 2, "s1"));
    assertThat(rows(UsageQuery.all().groupBy(Dimension.tag("team")))).containsExactly(
        row(null, 10, 2, (String) null), row(null, 4, "y"), row(null, 1, "x"));
    assertThat(rows(UsageQuery.all().groupBy(Dimension.MODEL, Dimension.PROJECT))).containsExactly(
        row(null, 8, "b", null), row(null, 4, "b", "p1"), row(null, 2, "a", "p2"), row(null, 1, "a", "p1"));
  }

  @Test
  void equalTotalsAreOrderedByTheirKeys() {
    record(at("2026-01-02T00:00:00Z", "b", 5), at("2026-01-02T00:00:00Z", "a", 5), at("2026-01-02T00:00:00Z", "c", 9),
        at("2026-01-01T00:00:00Z", "z", 1));
    assertThat(rows(UsageQuery.all().per(TimeGrain.DAY, ZoneOffset.UTC).groupBy(Dimension.MODEL))).containsExactly(
        row("2026-01-01T00:00:00Z", 1, "z"), row("2026-01-02T00:00:00Z", 9, "c"),
        row("2026-01-02T00:00:00Z", 5, "a"), row("2026-01-02T00:00:00Z", 5, "b"));
  }

  @Test
  void filtersByModelGlobProjectSessionAndTags() {
    record(
        TokenUsageEvent.builder("claude-opus-4-1").inputTokens(1).timestamp(JAN).project("p").session("s")
            .tag("team", "search").tag("env", "prod").build(),
        TokenUsageEvent.builder("claude-sonnet-4").inputTokens(2).timestamp(JAN).project("p").tag("team", "search")
            .build(),
        TokenUsageEvent.builder("gpt-4o").inputTokens(4).timestamp(JAN).project("q").session("s").build(),
        TokenUsageEvent.builder("my_model%1").inputTokens(8).timestamp(JAN).build(),
        TokenUsageEvent.builder("myXmodelZ1").inputTokens(16).timestamp(JAN).build());

    assertThat(total(UsageFilter.models("claude-*"))).isEqualTo(3);
    assertThat(total(UsageFilter.models("claude-opus-?-1"))).isEqualTo(1);
    assertThat(total(UsageFilter.models("gpt-4o", "claude-sonnet-4"))).isEqualTo(6);
    assertThat(total(UsageFilter.models("gpt-4"))).as("a plain name matches exactly").isZero();
    assertThat(total(UsageFilter.models("my_model%1"))).as("% and _ are no wildcards").isEqualTo(8);
    assertThat(total(UsageFilter.models("my?model*"))).isEqualTo(24);
    assertThat(total(UsageFilter.ANY.withProject("p"))).isEqualTo(3);
    assertThat(total(UsageFilter.ANY.withSession("s"))).isEqualTo(5);
    assertThat(total(UsageFilter.ANY.withTag("team", "search"))).isEqualTo(3);
    assertThat(total(UsageFilter.ANY.withTag("team", "search").withTag("env", "prod"))).isEqualTo(1);
    assertThat(total(UsageFilter.ANY.withTag("team", "sea"))).isZero();
    assertThat(total(UsageFilter.models("claude-*").withProject("p").withSession("s"))).isEqualTo(1);
    assertThat(total(UsageFilter.ANY.withProject("nope"))).isZero();
  }

  private long total(UsageFilter filter) {
    return store.query(UsageQuery.all().filter(filter)).total().totalTokens();
  }

  @Test
  void dimensionsAreKeptExactly() {
    String project = "/home/ann/src/café, \"quoted\" = 'x'; 100% _under_ \\back";
    TokenUsageEvent event = TokenUsageEvent.builder("m").inputTokens(3).timestamp(JAN).requestId("r")
        .project(project).session("séssion ✓").tag("a.b-c_d", "v=1,2;3").tag("z", "\"").build();
    record(event);

    assertThat(store.history(UsageFilter.ANY, 10)).containsExactly(event);
    assertThat(rows(UsageQuery.all().groupBy(Dimension.PROJECT, Dimension.SESSION, Dimension.tag("a.b-c_d"))))
        .containsExactly(row(null, 3, project, "séssion ✓", "v=1,2;3"));
    assertThat(total(UsageFilter.ANY.withProject(project).withTag("a.b-c_d", "v=1,2;3").withTag("z", "\"")))
        .isEqualTo(3);
  }
}
