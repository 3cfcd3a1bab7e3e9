package dev.tokenwatch.domain.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.contract.UsageStoreContract;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryUsageStoreTest extends UsageStoreContract {

  @Override
  protected UsageStore createStore() {
    return new InMemoryUsageStore();
  }

  @Test
  void eventsOverSeveralChunksSurviveCompaction() {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    List<TokenUsageEvent> batch = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) { // about 2.5 chunks of 16,384
      batch.add(TokenUsageEvent.builder("m" + (i % 3)).inputTokens(1 + i % 7).timestamp(start.plusSeconds(i))
          .requestId("r" + i).project(i % 2 == 0 ? "even" : null).build());
    }
    store.record(batch, List.of());
    Instant cutoff = start.plusSeconds(30_000);
    long expected = batch.stream().filter(e -> !e.timestamp().isBefore(cutoff)).mapToLong(TokenUsageEvent::totalTokens)
        .sum();

    store.dropBefore(cutoff); // three quarters dead: compacted

    assertThat(store.query(UsageQuery.all()).total().totalTokens()).isEqualTo(expected);
    assertThat(store.query(UsageQuery.all()).total().calls()).isEqualTo(10_000);
    assertThat(store.history(UsageFilter.ANY, 2)).containsExactly(batch.get(39_998), batch.get(39_999));
    assertThat(store.history(UsageFilter.ANY.withProject("even"), 1)).containsExactly(batch.get(39_998));
    assertThat(store.record(List.of(batch.get(35_000)), List.of()).duplicates()).as("ids moved with their events")
        .isEqualTo(1);
    TokenUsageEvent larger = TokenUsageEvent.builder("m9").inputTokens(1_000).timestamp(start.plusSeconds(35_000))
        .requestId("r35000").build();
    assertThat(store.record(List.of(larger), List.of()).replaced()).isEqualTo(1);
    assertThat(store.query(UsageQuery.all()).total().totalTokens())
        .isEqualTo(expected - batch.get(35_000).totalTokens() + 1_000);
  }
}
