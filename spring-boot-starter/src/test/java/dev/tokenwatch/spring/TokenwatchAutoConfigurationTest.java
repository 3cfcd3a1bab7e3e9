package dev.tokenwatch.spring;

import static org.assertj.core.api.Assertions.assertThat;


import dev.tokenwatch.config.ConfigEnvironment;
import dev.tokenwatch.config.StoreConfig;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.notifier.console.ConsoleAlertSink;
import dev.tokenwatch.notifier.slack.SlackAlertSink;
import dev.tokenwatch.persistence.file.FileUsageStore;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClientBuilderCustomizer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The auto-configuration's conditions, property binding and error reports, on real stores. */
class TokenwatchAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TokenwatchAutoConfiguration.class,
          TokenwatchSpringAiAutoConfiguration.class, TokenwatchHealthAutoConfiguration.class))
      .withPropertyValues("tokenwatch.store.type=memory");

  @Test
  void bindsSeveralBudgetsWithTheDomainsDefaultsForWhatIsLeftOut() {
    runner.withPropertyValues(
        "tokenwatch.budgets[0].limit=1000000",
        "tokenwatch.budgets[1].name=search-usd",
        "tokenwatch.budgets[1].limit-usd=250.00",
        "tokenwatch.budgets[1].period=daily",
        "tokenwatch.budgets[1].zone=Europe/Berlin",
        "tokenwatch.budgets[1].alert-thresholds=0.9,0.5",
        "tokenwatch.budgets[1].forecast-thresholds=1.0",
        "tokenwatch.budgets[1].scope.models=gpt-4o*,claude-*",
        "tokenwatch.budgets[1].scope.project=search",
        "tokenwatch.budgets[1].scope.tags.team=search").run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(ConsoleAlertSink.class)
              .doesNotHaveBean(SlackAlertSink.class).hasSingleBean(InMemoryUsageStore.class);
          TokenTracker tracker = context.getBean(TokenTracker.class);
          assertThat(tracker.budgets()).hasSize(2);
          assertThat(tracker.budgets().get(0).getBudget()).isEqualTo(TokenBudget.builder().limit(1_000_000).build());
          TokenBudget usd = tracker.budget("search-usd").getBudget();
          assertThat(usd.unit()).isEqualTo(BudgetUnit.USD);
          assertThat(usd.limit()).isEqualTo(250_000_000_000L);
          assertThat(usd.period()).isEqualTo(BudgetPeriod.DAILY);
          assertThat(usd.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
          assertThat(usd.alertThresholds()).containsExactly(0.5, 0.9);
          assertThat(usd.forecastThresholds()).containsExactly(1.0);
          assertThat(usd.forecastMinimum()).isEqualTo(TokenBudget.defaultForecastMinimum(usd.limit()));
          assertThat(usd.scope().canonical()).isEqualTo(dev.tokenwatch.domain.ledger.UsageFilter
              .models("gpt-4o*", "claude-*").withProject("search").withTag("team", "search").canonical());
        });
  }

  @Test
  void anInvalidBudgetFailsStartupNamingThePropertyWithTheDomainsMessage() {
    assertBindFailure(runner.withPropertyValues("tokenwatch.budgets[0].limit=-5"),
        "tokenwatch.budgets[0]", "limit must be positive, got -5");
    assertBindFailure(runner.withPropertyValues("tokenwatch.budgets[0].limit=5", "tokenwatch.budgets[0].period=hourly"),
        "tokenwatch.budgets[0]", "period must be one of daily, weekly, monthly, got \"hourly\"");
    assertBindFailure(runner.withPropertyValues("tokenwatch.budgets[0].limit=5",
        "tokenwatch.budgets[0].alert-thresholds=0.5,11"), "tokenwatch.budgets[0]", "alertThresholds[1] must be above 0 and at most 10 (1000%), for 11% write 0.11 or 11%, got 11.0");
    assertBindFailure(runner.withPropertyValues("tokenwatch.budgets[0].limit=5", "tokenwatch.budgets[0].name=a b"),
        "tokenwatch.budgets[0]", "name must be 1 to 100 letters");
    assertBindFailure(runner.withPropertyValues("tokenwatch.budgets[0].limit=5", "tokenwatch.budgets[0].limit-usd=5"),
        "tokenwatch.budgets[0]", "limit and limit-usd are both given; write one: a budget's limit is in tokens or in "
            + "US dollars");
    // the configuration file's rule (BudgetLimit), not the domain's "limit must be positive, got 0"
    assertBindFailure(runner.withPropertyValues("tokenwatch.budgets[0].name=search"), "tokenwatch.budgets[0]",
        "limit is missing: a budget's limit in tokens such as 20000000, or limit-usd in US dollars such as 250");
    assertBindFailure(runner.withPropertyValues("tokenwatch.budgets[0].limit=5",
        "tokenwatch.budgets[0].scope.tags.Team=x"), "tokenwatch.budgets[0]", "Team");
    // a conversion Spring does itself names the leaf property
    assertBindFailure(runner.withPropertyValues("tokenwatch.budgets[0].limit=5", "tokenwatch.budgets[0].zone=Mars/Base"),
        "tokenwatch.budgets[0].zone", "Mars/Base");
    assertBindFailure(runner.withPropertyValues("tokenwatch.store.type=floppy"), "tokenwatch.store.type", "floppy");
  }

  @Test
  void noBudgetFailsStartupSayingWhatToSet() {
    runner.run(context -> assertThat(chainText(context.getStartupFailure()))
        .contains("tokenwatch.budgets: no budget is configured; set tokenwatch.budgets[0].limit"));
  }

  @Test
  void anInvalidSlackWebhookFailsStartupNamingThePropertyButNotTheSecret() {
    runner.withPropertyValues("tokenwatch.budgets[0].limit=5",
        "tokenwatch.notifiers.slack.webhook-url=http://hooks.example.com/services/T0/B0/s3cr3t").run(context -> {
          assertThat(context).hasFailed();
          assertThat(chainText(context.getStartupFailure()))
              .contains("tokenwatch.notifiers.slack.webhook-url: webhookUrl must use https");
          assertThat(chainText(context.getStartupFailure())).doesNotContain("s3cr3t");
        });
  }

  @Test
  void anInvalidJdbcStoreFailsStartupNamingThePropertyButNotThePassword() {
    ApplicationContextRunner jdbc = runner.withPropertyValues("tokenwatch.budgets[0].limit=5", "tokenwatch.store.type=jdbc");
    jdbc.run(context -> assertThat(chainText(context.getStartupFailure()))
        .contains("tokenwatch.store: url is required for a jdbc store (e.g. jdbc:postgresql://localhost/tokenwatch)"));
    jdbc.withPropertyValues("tokenwatch.store.url=jdbc:postgresql://app:hunter2@127.0.0.1:1/tokens").run(context -> {
      assertThat(chainText(context.getStartupFailure())).contains("tokenwatch.store: url jdbc:postgresql://")
          .contains("set the user and password separately");
      assertThat(chainText(context.getStartupFailure())).doesNotContain("hunter2");
    });
  }

  @Test
  void theStoreSettingsMeanWhatTheSameKeysOfTheCliFileMean() {
    ApplicationContextRunner jdbc = runner.withPropertyValues("tokenwatch.budgets[0].limit=5", "tokenwatch.store.type=jdbc");
    jdbc.withPropertyValues("tokenwatch.store.url=postgres://app:hunter2@db/tokens").run(context ->
        assertThat(chainText(context.getStartupFailure())).contains("tokenwatch.store: url must be a JDBC URL starting "
            + "with \"jdbc:\", got \"postgres://app:<redacted>@db/tokens\"").doesNotContain("hunter2"));
    jdbc.withPropertyValues("tokenwatch.store.url=jdbc:h2:mem:x", "tokenwatch.store.schema=drop table").run(context ->
        assertThat(chainText(context.getStartupFailure())).contains("tokenwatch.store: schema must be an SQL "
            + "identifier (a letter or '_', then letters, digits or '_', at most 63), got \"drop table\""));
    // the file store's default directory is the CLI's state directory, by the same rule
    assertThat(Adapters.storeConfig(new TokenwatchProperties().getStore()))
        .isEqualTo(new StoreConfig.File(ConfigEnvironment.system().defaultStateDirectory()));
  }

  @Test
  void offWhenDisabled() {
    runner.withPropertyValues("tokenwatch.enabled=false", "tokenwatch.budgets[0].limit=-5")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TokenTracker.class)
            .doesNotHaveBean(UsageStore.class).doesNotHaveBean(TokenwatchAdvisor.class)
            .doesNotHaveBean("tokenwatchHealthIndicator"));
  }

  @Test
  void springAiTrackingOffByPropertyOrWithoutSpringAi() {
    ApplicationContextRunner configured = runner.withPropertyValues("tokenwatch.budgets[0].limit=5");
    configured.run(context -> assertThat(context).hasSingleBean(TokenwatchAdvisor.class)
        .hasSingleBean(ChatClientBuilderCustomizer.class));
    configured.withPropertyValues("tokenwatch.spring-ai.enabled=false").run(context -> assertThat(context)
        .hasNotFailed().hasSingleBean(TokenTracker.class).doesNotHaveBean(TokenwatchAdvisor.class)
        .doesNotHaveBean(ChatClientBuilderCustomizer.class));
    configured.withPropertyValues("tokenwatch.spring-ai.tags.Team=search").run(context -> assertThat(
        chainText(context.getStartupFailure())).contains("tokenwatch.spring-ai: ").contains("Team"));
    configured.withClassLoader(new FilteredClassLoader("org.springframework.ai.")).run(context -> assertThat(context)
        .hasNotFailed().hasSingleBean(TokenTracker.class).doesNotHaveBean(TokenwatchAdvisor.class));
  }

  @Test
  void theApplicationsOwnStoreAndTrackerWin() {
    InMemoryUsageStore own = new InMemoryUsageStore();
    runner.withPropertyValues("tokenwatch.budgets[0].limit=5", "tokenwatch.store.type=jdbc")
        .withBean("myStore", UsageStore.class, () -> own).run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(UsageStore.class)).isSameAs(own);
          assertThat(context.getBean(TokenTracker.class).budgets()).hasSize(1);
        });
    TokenTracker mine = TokenTracker.builder(TokenBudget.of(7, BudgetPeriod.DAILY)).build();
    runner.withBean(TokenTracker.class, () -> mine)
        .run(context -> assertThat(context).hasNotFailed().getBean(TokenTracker.class).isSameAs(mine));
  }

  @Test
  void healthIndicatorReadsEachBudgetFromTheStoreOnlyWithActuatorsHealthSupport() {
    ApplicationContextRunner configured = runner.withPropertyValues("tokenwatch.budgets[0].name=main",
        "tokenwatch.budgets[0].limit=1000");
    configured.run(context -> {
      context.getBean(TokenTracker.class).track(TokenUsageEvent.builder("gpt-4o").inputTokens(200).outputTokens(50)
          .timestamp(Instant.now()).build());
      Health health = context.getBean("tokenwatchHealthIndicator", HealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("budget.main", "250 of 1,000 tokens (25.0%)");
      context.getBean(UsageStore.class).close();
    });
    configured.withPropertyValues("management.health.tokenwatch.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("tokenwatchHealthIndicator"));
    configured.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("tokenwatchHealthIndicator"));
  }

  @Test
  void healthIsDownWhenTheStoreFails(@TempDir Path dir) {
    runner.withPropertyValues("tokenwatch.budgets[0].limit=1000", "tokenwatch.store.type=file",
        "tokenwatch.store.path=" + dir).run(context -> {
          context.getBean(UsageStore.class).close();
          Health health = context.getBean("tokenwatchHealthIndicator", HealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.DOWN);
          assertThat(health.getDetails().get("error").toString()).contains("is closed");
        });
  }

  @Test
  void theContextClosesTheFileStoreAndTheNextContextReadsWhatWasTracked(@TempDir Path dir) {
    AtomicReference<UsageStore> store = new AtomicReference<>();
    ApplicationContextRunner fileStore = runner.withPropertyValues("tokenwatch.budgets[0].limit=1000",
        "tokenwatch.store.type=file", "tokenwatch.store.path=" + dir);
    fileStore.run(context -> {
      store.set(context.getBean(UsageStore.class));
      assertThat(store.get()).isInstanceOf(FileUsageStore.class);
      context.getBean(TokenTracker.class).track(TokenUsageEvent.builder("gpt-4o").inputTokens(300).outputTokens(20)
          .timestamp(Instant.now()).requestId("chatcmpl-a").build());
    });
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.get().retainedFrom())
        .hasMessageContaining("is closed");
    fileStore.run(context -> assertThat(context.getBean(TokenTracker.class).getUsage().used()).isEqualTo(320));
  }

  @Test
  void theContextClosesAJdbcStoreReleasingTheH2FileForTheNextProcess(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("usage");
    runner.withPropertyValues("tokenwatch.budgets[0].limit=1000", "tokenwatch.store.type=jdbc",
        "tokenwatch.store.url=jdbc:h2:" + db).run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(tryLock(dir.resolve("usage.tokenwatch.lock"))).as("held while the context runs").isFalse();
        });
    assertThat(tryLock(dir.resolve("usage.tokenwatch.lock"))).as("released when the context closed").isTrue();
  }

  /** Whether this JVM can take the exclusive lock on {@code file} now (false while a store holds it). */
  private static boolean tryLock(Path file) throws Exception {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return false;
      }
      lock.release();
      return true;
    } catch (OverlappingFileLockException held) {
      return false;
    }
  }

  static void assertBindFailure(ApplicationContextRunner configured, String property, String message) {
    configured.run(context -> {
      assertThat(context).hasFailed();
      BindException bind = findCause(context.getStartupFailure(), BindException.class);
      assertThat(bind).as("a binding failure").isNotNull();
      assertThat(bind.getName().toString()).isEqualTo(property);
      assertThat(chainText(context.getStartupFailure())).contains(message);
    });
  }

  private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  static String chainText(Throwable t) {
    StringBuilder text = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      text.append(c).append('\n');
    }
    return text.toString();
  }
}
