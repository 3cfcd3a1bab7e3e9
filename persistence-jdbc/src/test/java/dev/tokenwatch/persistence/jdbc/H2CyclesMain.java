package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.time.Duration;
import java.util.List;

/**
 * What a short-lived command like {@code tokenwatch track} does, in a child JVM: {@code url writer
 * first count}: {@code count} times opens the store, records one event of 10 tokens (request id
 * {@code w<writer>-<i>}, i from {@code first}) and closes it. Prints {@code OK <i>} per cycle,
 * {@code FAIL <i> <message>} and exits 1 on a failure.
 */
public final class H2CyclesMain {

  private H2CyclesMain() {}

  public static void main(String[] args) {
    String url = args[0];
    int writer = Integer.parseInt(args[1]);
    int first = Integer.parseInt(args[2]);
    int count = Integer.parseInt(args[3]);
    for (int i = first; i < first + count; i++) {
      try (JdbcUsageStore store = JdbcUsageStore.builder().url(url).user("sa").poolSize(2)
          .connectTimeout(Duration.ofSeconds(60)).build()) {
        TokenUsageEvent event = TokenUsageEvent.builder("m").inputTokens(10).timestamp(Workload.PERIOD)
            .requestId("w" + writer + "-" + i).build();
        store.record(List.of(event), List.of());
        System.out.println("OK " + i);
      } catch (RuntimeException e) {
        System.out.println("FAIL " + i + " " + e);
        System.exit(1);
      }
    }
  }
}
