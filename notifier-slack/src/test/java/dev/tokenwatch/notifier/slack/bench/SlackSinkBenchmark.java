package dev.tokenwatch.notifier.slack.bench;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import com.sun.net.httpserver.HttpServer;
import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.AlertLevel;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.notifier.slack.SlackAlertSink;
import dev.tokenwatch.notifier.slack.SlackConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What {@code deliver} costs the tracking thread while Slack does not answer: the worker is stuck
 * in a request to a loopback server that never replies, the queue is full, and every call drops
 * the oldest WARNING and logs the drop. Baseline: the cheapest bounded drop-oldest queue, an
 * {@link ArrayBlockingQueue} with poll-then-offer when full, without logging.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SlackSinkBenchmark {

  private static final int CAPACITY = 100;

  private HttpServer server;
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch firstRequest = new CountDownLatch(1);
  private SlackAlertSink sink;
  private ArrayBlockingQueue<Alert> baselineQueue;
  private Alert alert;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    server.createContext("/", exchange -> {
      firstRequest.countDown();
      try {
        release.await(); // never answers while measuring
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "bench-stuck-slack");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    sink = SlackAlertSink.start(SlackConfig.builder()
        .webhookUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/services/T0BENCH/B0BENCH/benchsecret")
        .hostName("bench")
        .queueCapacity(CAPACITY)
        .requestTimeout(Duration.ofHours(1))
        .build());
    alert = new Alert(AlertLevel.WARNING, 0.7, 0.7241, "message", Instant.parse("2026-11-20T10:15:30Z"), "default",
        724_100, 1_000_000, BudgetPeriod.MONTHLY, ZonedDateTime.of(2026, 12, 1, 0, 0, 0, 0, ZoneId.of("UTC")),
        BudgetUnit.TOKENS, UsageFilter.ANY, Counts.ZERO);
    sink.deliver(alert);
    if (!firstRequest.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the Slack worker never reached the loopback server");
    }
    for (int i = 0; i < CAPACITY; i++) {
      sink.deliver(alert);
    }
    baselineQueue = new ArrayBlockingQueue<>(CAPACITY);
    for (int i = 0; i < CAPACITY; i++) {
      baselineQueue.offer(alert);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    release.countDown();
    sink.close(Duration.ofSeconds(1));
    server.stop(0);
  }

  /** Baseline: drop the oldest and add, on a full ArrayBlockingQueue, no logging. */
  @Benchmark
  public boolean baselineBoundedQueueDropOldest() {
    if (!baselineQueue.offer(alert)) {
      baselineQueue.poll();
      return baselineQueue.offer(alert);
    }
    return true;
  }

  /** deliver on a full queue: drops the oldest WARNING, logs it at WARN, queues the new one. */
  @Benchmark
  public void deliverWhileSlackIsStuck() {
    sink.deliver(alert);
  }
}
