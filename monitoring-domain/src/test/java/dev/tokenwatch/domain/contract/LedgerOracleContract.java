package dev.tokenwatch.domain.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.TimeGrain;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.ledger.UsageRow;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Many queries over a generated ledger (with duplicates and replacements that move events between
 * groups), each compared with a computation written here from first principles: the counted events
 * by the replace-or-duplicate rule, then plain loops over them.
 */
public abstract class LedgerOracleContract extends StoreContractBase {

  private static final String[] MODELS = {"claude-opus-4-1", "claude-sonnet-4", "gpt-4o", "o3"};
  private static final String[] PROJECTS = {null, "alpha", "beta"};
  private static final String[] SESSIONS = {null, "s1", "s2", "s3"};
  private static final String[] TEAMS = {null, "search", "ads"};
  private static final ZoneId[] ZONES = {ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"), ZoneId.of("Asia/Kolkata"),
      ZoneId.of("Asia/Kathmandu"), ZoneId.of("America/St_Johns")};

  /** Events spread over the autumn daylight-saving change, with repeated request ids. */
  private static List<TokenUsageEvent> generate(Random random, int count) {
    Instant base = Instant.parse("2026-10-20T00:00:00Z");
    List<TokenUsageEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TokenUsageEvent.Builder b = TokenUsageEvent.builder(MODELS[random.nextInt(MODELS.length)])
          .inputTokens(random.nextInt(1000)).outputTokens(random.nextInt(100))
          .cacheCreationTokens(random.nextInt(3) == 0 ? random.nextInt(500) : 0)
          .cacheReadTokens(random.nextInt(2) == 0 ? random.nextInt(5000) : 0)
          .timestamp(base.plusSeconds(random.nextInt(14 * 24 * 3600)))
          .project(PROJECTS[random.nextInt(PROJECTS.length)])
          .session(SESSIONS[random.nextInt(SESSIONS.length)]);
      String team = TEAMS[random.nextInt(TEAMS.length)];
      if (team != null) {
        b.tag("team", team);
      }
      if (random.nextInt(4) != 0) {
        b.requestId("req-" + random.nextInt(count / 2));
      }
      events.add(b.build());
    }
    return events;
  }

  /** The events that count, by the rule: per request id, the first record with the largest total. */
  private static List<TokenUsageEvent> counted(List<TokenUsageEvent> recorded) {
    Map<Object, TokenUsageEvent> byId = new LinkedHashMap<>();
    int anonymous = 0;
    for (TokenUsageEvent e : recorded) {
      Object key = e.requestId() != null ? e.requestId() : Integer.valueOf(anonymous++);
      TokenUsageEvent earlier = byId.get(key);
      if (earlier == null || e.totalTokens() > earlier.totalTokens()) {
        byId.put(key, e);
      }
    }
    return new ArrayList<>(byId.values());
  }

  private static Instant unitStart(TimeGrain grain, Instant at, ZoneId zone) {
    if (grain == null) {
      return null;
    }
    ZonedDateTime local = at.atZone(zone);
    return switch (grain) {
      case HOUR -> local.truncatedTo(ChronoUnit.HOURS).toInstant();
      case DAY -> local.toLocalDate().atStartOfDay(zone).toInstant();
      case WEEK -> local.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
          .atStartOfDay(zone).toInstant();
      case MONTH -> local.toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toInstant();
    };
  }

  /** The expected rows of {@code query}, in no particular order, as (start, keys) -> sums. */
  private static Map<List<Object>, long[]> expected(List<TokenUsageEvent> counted, UsageQuery query) {
    Map<List<Object>, long[]> groups = new HashMap<>();
    for (TokenUsageEvent e : counted) {
      if (query.from() != null && e.timestamp().isBefore(query.from())) {
        continue;
      }
      if (query.until() != null && !e.timestamp().isBefore(query.until())) {
        continue;
      }
      UsageFilter f = query.filter();
      if (!f.models().isEmpty() && f.models().stream().noneMatch(g -> g.matches(e.model()))) {
        continue;
      }
      if ((f.project() != null && !f.project().equals(e.project()))
          || (f.session() != null && !f.session().equals(e.session()))
          || f.tags().entrySet().stream().anyMatch(t -> !t.getValue().equals(e.tags().get(t.getKey())))) {
        continue;
      }
      List<Object> key = new ArrayList<>();
      key.add(unitStart(query.grain(), e.timestamp(), query.zone()));
      for (Dimension d : query.groupBy()) {
        key.add(switch (d.kind()) {
          case MODEL -> e.model();
          case PROJECT -> e.project();
          case SESSION -> e.session();
          case TAG -> e.tags().get(d.tagKey());
        });
      }
      long[] sums = groups.computeIfAbsent(key, k -> new long[6]);
      sums[0] += e.inputTokens();
      sums[1] += e.outputTokens();
      sums[2] += e.cacheCreationTokens();
      sums[3] += e.cacheReadTokens();
      sums[4] += e.totalTokens();
      sums[5]++;
    }
    return groups;
  }

  private static Map<List<Object>, long[]> asMap(List<UsageRow> rows) {
    Map<List<Object>, long[]> out = new HashMap<>();
    for (UsageRow r : rows) {
      List<Object> key = new ArrayList<>();
      key.add(r.start());
      key.addAll(r.keys());
      var c = r.counts();
      long[] previous = out.put(key, new long[] {c.inputTokens(), c.outputTokens(), c.cacheCreationTokens(),
          c.cacheReadTokens(), c.totalTokens(), c.calls()});
      assertThat(previous).as("one row per group: %s", key).isNull();
    }
    return out;
  }

  private static List<UsageQuery> queries(Random random) {
    List<UsageQuery> queries = new ArrayList<>();
    Dimension[][] groupings = {{}, {Dimension.MODEL}, {Dimension.PROJECT}, {Dimension.SESSION},
        {Dimension.tag("team")}, {Dimension.MODEL, Dimension.PROJECT}, {Dimension.tag("team"), Dimension.SESSION}};
    TimeGrain[] grains = {null, TimeGrain.HOUR, TimeGrain.DAY, TimeGrain.WEEK, TimeGrain.MONTH};
    for (TimeGrain grain : grains) {
      for (Dimension[] grouping : groupings) {
        ZoneId zone = ZONES[random.nextInt(ZONES.length)];
        queries.add(UsageQuery.all().per(grain, zone).groupBy(grouping));
      }
    }
    Instant base = Instant.parse("2026-10-20T00:00:00Z");
    UsageFilter[] filters = {UsageFilter.ANY, UsageFilter.models("claude-*"), UsageFilter.models("o3", "gpt-4o"),
        UsageFilter.ANY.withProject("alpha"), UsageFilter.ANY.withSession("s2").withTag("team", "ads"),
        UsageFilter.models("claude-?????-4").withProject("beta")};
    for (int i = 0; i < 24; i++) {
      Instant from = random.nextBoolean() ? null : base.plusSeconds(random.nextInt(7 * 24 * 3600));
      Instant until = random.nextBoolean() ? null
          : (from == null ? base : from).plusSeconds(1 + random.nextInt(7 * 24 * 3600));
      queries.add(UsageQuery.all().between(from, until).filter(filters[random.nextInt(filters.length)])
          .per(grains[random.nextInt(grains.length)], ZONES[random.nextInt(ZONES.length)])
          .groupBy(groupings[random.nextInt(groupings.length)]));
    }
    return queries;
  }

  @Test
  void everyQueryAgreesWithAnIndependentComputation() throws Exception {
    Random random = new Random(20261201);
    List<TokenUsageEvent> events = generate(random, 600);
    for (int i = 0; i < events.size(); i += 50) {
      store.record(events.subList(i, Math.min(events.size(), i + 50)), List.of());
    }
    store = reopen(store);
    List<TokenUsageEvent> counted = counted(events);

    for (UsageQuery query : queries(random)) {
      List<UsageRow> rows = store.query(query).rows();
      Map<List<Object>, long[]> actual = asMap(rows);
      Map<List<Object>, long[]> want = expected(counted, query);
      assertThat(actual.keySet()).as("groups of %s", query).containsExactlyInAnyOrderElementsOf(want.keySet());
      for (Map.Entry<List<Object>, long[]> group : want.entrySet()) {
        assertThat(actual.get(group.getKey())).as("%s of %s", group.getKey(), query).containsExactly(group.getValue());
      }
      for (int i = 1; i < rows.size(); i++) {
        UsageRow a = rows.get(i - 1);
        UsageRow b = rows.get(i);
        boolean ordered = !Objects.equals(a.start(), b.start())
            ? a.start().isBefore(b.start())
            : a.counts().totalTokens() >= b.counts().totalTokens();
        assertThat(ordered).as("order of rows %s, %s in %s", a, b, query).isTrue();
      }
    }
    assertThat(store.history(UsageFilter.ANY, counted.size()))
        .as("the ledger holds exactly the counted events").containsExactlyInAnyOrderElementsOf(counted);
  }
}
