package dev.tokenwatch.domain.contract;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.port.RecordResult;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The store's life cycle and the helpers shared by the parts of the contract suite. A store adapter
 * extends {@link UsageStoreContract}, not this class.
 */
public abstract class StoreContractBase {

  protected static final String BUDGET = "contract";
  protected static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
  protected static final Instant FEB = Instant.parse("2026-02-01T00:00:00Z");
  protected static final Instant MAR = Instant.parse("2026-03-01T00:00:00Z");
  /** January of {@link #BUDGET}, every event counts. */
  protected static final BudgetWindow JAN_WINDOW = new BudgetWindow(BUDGET, JAN, FEB, UsageFilter.ANY);
  /** February of {@link #BUDGET}, every event counts. */
  protected static final BudgetWindow FEB_WINDOW = new BudgetWindow(BUDGET, FEB, MAR, UsageFilter.ANY);

  protected UsageStore store;

  /** A new, empty store. Each test gets its own. */
  protected abstract UsageStore createStore() throws Exception;

  /**
   * Closes {@code store} and opens the same underlying state again. Stores that keep nothing beyond
   * the instance return it unchanged: the assertions then run on the same instance.
   */
  protected UsageStore reopen(UsageStore store) throws Exception {
    return store;
  }

  @BeforeEach
  void openStore() throws Exception {
    store = createStore();
  }

  @AfterEach
  void closeStore() throws Exception {
    if (store != null) {
      store.close();
    }
  }

  protected static TokenUsageEvent event(String model, long input, long output, Instant at, String requestId) {
    return TokenUsageEvent.builder(model).inputTokens(input).outputTokens(output).timestamp(at).requestId(requestId)
        .build();
  }

  /** Records {@code events} with no budget window. */
  protected RecordResult record(TokenUsageEvent... events) {
    return store.record(List.of(events), List.of());
  }

  /** Records {@code events} charging {@code window}. */
  protected RecordResult record(BudgetWindow window, TokenUsageEvent... events) {
    return store.record(List.of(events), List.of(window));
  }

  /** Runs {@code task} on {@code threads} threads started together and waits for all of them. */
  protected static void runConcurrently(int threads, Worker task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Void>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int worker = t;
        Callable<Void> c = () -> {
          start.await();
          return task.run(worker);
        };
        futures.add(pool.submit(c));
      }
      start.countDown();
      for (Future<Void> f : futures) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A task run by one of several threads. */
  @FunctionalInterface
  protected interface Worker {
    Void run(int worker) throws Exception;
  }
}
