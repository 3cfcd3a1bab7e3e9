package dev.tokenwatch.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.domain.readme.ReadmeSnippets;
import dev.tokenwatch.persistence.file.FileUsageStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The README's four Spring Boot properties (src/test/resources/readme-example.properties, equal to the
 * README's text) configure a USD budget, the file store and Slack alerts with no code.
 */
class ReadmeExampleTest {

  private static final Path PROPERTIES = Path.of("src/test/resources/readme-example.properties");

  @Test
  void theReadmePropertiesTrackIntoTheFileStoreAndAlertSlack(@TempDir Path dir) throws Exception {
    try (LoopbackServer slack = new LoopbackServer(request -> new LoopbackServer.Answer(200, "text/plain", List.of("ok")))) {
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(TokenwatchAutoConfiguration.class))
          .withPropertyValues(readmeProperties())
          // the environment's webhook, and a temporary directory for the README's /var/lib/myapp/tokenwatch
          .withPropertyValues("SLACK_WEBHOOK_URL=" + slack.url() + "/services/T0/B0/readme",
              "tokenwatch.store.path=" + dir)
          .run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(FileUsageStore.class);
            TokenTracker tracker = context.getBean(TokenTracker.class);
            TokenBudget budget = tracker.getBudget();
            assertThat(budget.unit()).isEqualTo(BudgetUnit.USD);
            assertThat(budget.limit()).isEqualTo(250_000_000_000L);
            assertThat(budget.period()).isEqualTo(BudgetPeriod.MONTHLY);

            // 60,000,000 gpt-4o input tokens at the built-in $2.50 a million: $150, 60% of the budget
            tracker.track(TokenUsageEvent.builder("gpt-4o").inputTokens(60_000_000).timestamp(Instant.now()).build());
            assertThat(context.getBean(UsageStore.class)).isInstanceOf(FileUsageStore.class);
            assertThat(dir).isNotEmptyDirectory();
          });
      // closing the context waited for the alerts being delivered
      assertThat(slack.drain()).singleElement().satisfies(post -> {
        assertThat(post.path()).isEqualTo("/services/T0/B0/readme");
        assertThat(post.body()).contains("60.0%");
      });
    }
  }

  @Test
  void theReadmeShowsTheseProperties() {
    ReadmeSnippets.assertReadmeShowsFile("Spring Boot", PROPERTIES);
  }

  private static String[] readmeProperties() throws IOException {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(PROPERTIES)) {
      properties.load(in);
    }
    return properties.stringPropertyNames().stream().map(key -> key + "=" + properties.getProperty(key))
        .toArray(String[]::new);
  }
}
