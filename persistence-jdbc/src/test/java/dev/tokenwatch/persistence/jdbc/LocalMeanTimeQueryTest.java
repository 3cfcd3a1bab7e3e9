package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.TimeGrain;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events from the time a zone ran on local mean time (Kolkata: +05:53:20 until 1854, then +05:21:10
 * until 1941), whose days do not start on the 15-minute grid: grouped by their own instants, the
 * answer equals the in-memory reference's; and with none of them, the answer is the same without them.
 */
class LocalMeanTimeQueryTest {

  @TempDir
  Path dir;

  @Test
  void daysOfALocalMeanTimeEraAreCutPerEvent() {
    // 18:36 and 18:40 UTC on 1880-05-01 fall on either side of midnight at +05:21:10.
    List<TokenUsageEvent> events = List.of(
        event(Instant.parse("1880-05-01T18:36:00Z"), 3), event(Instant.parse("1880-05-01T18:40:00Z"), 5),
        event(Instant.parse("2026-05-01T18:29:00Z"), 7), event(Instant.parse("2026-05-01T18:31:00Z"), 11));
    ZoneId kolkata = ZoneId.of("Asia/Kolkata");
    List<UsageQuery> queries = List.of(UsageQuery.all().per(TimeGrain.DAY, kolkata).groupBy(Dimension.MODEL),
        UsageQuery.all().per(TimeGrain.HOUR, kolkata).between(Instant.parse("1880-05-01T18:00:00Z"),
            Instant.parse("2026-05-02T00:00:00Z")));
    try (JdbcUsageStore store = JdbcUsageStore.builder().url("jdbc:h2:file:" + dir.resolve("lmt").toAbsolutePath())
        .user("sa").build(); InMemoryUsageStore reference = new InMemoryUsageStore()) {
      store.record(events.subList(2, 4), List.of());
      reference.record(events.subList(2, 4), List.of());
      for (UsageQuery query : queries) {
        assertThat(store.query(query).rows()).isEqualTo(reference.query(query).rows());
      }
      store.record(events.subList(0, 2), List.of());
      reference.record(events.subList(0, 2), List.of());
      for (UsageQuery query : queries) {
        assertThat(store.query(query).rows()).isEqualTo(reference.query(query).rows());
      }
      assertThat(store.query(queries.get(0)).rows()).hasSize(4);
    }
  }

  private static TokenUsageEvent event(Instant at, long tokens) {
    return TokenUsageEvent.builder("m").inputTokens(tokens).timestamp(at).build();
  }
}
