package dev.tokenwatch.spring;

import static dev.tokenwatch.spring.TokenwatchAutoConfigurationTest.assertBindFailure;
import static dev.tokenwatch.spring.TokenwatchAutoConfigurationTest.chainText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.BudgetMode;
import dev.tokenwatch.domain.TokenTracker;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code tokenwatch.admission.*} and budgets' {@code mode}: off by default, bound and checked at startup. */
class AdmissionConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TokenwatchAutoConfiguration.class,
          TokenwatchSpringAiAutoConfiguration.class))
      .withPropertyValues("tokenwatch.store.type=memory", "tokenwatch.budgets[0].limit=1000");

  @Test
  void offByDefault() {
    runner.run(context -> assertThat(context.getBean(TokenwatchAdvisor.class).toString()).endsWith("admission=off]"));
  }

  @Test
  void onByPropertyWithTheHeuristicsSettings() {
    runner.withPropertyValues("tokenwatch.admission.enabled=true").run(context -> assertThat(
        context.getBean(TokenwatchAdvisor.class).toString())
        .endsWith("admission=heuristic[4 characters per token, 1024 output tokens unless maxTokens]]"));
    runner.withPropertyValues("tokenwatch.admission.enabled=true", "tokenwatch.admission.characters-per-token=2",
        "tokenwatch.admission.default-output-tokens=256").run(context -> assertThat(
        context.getBean(TokenwatchAdvisor.class).toString())
        .endsWith("admission=heuristic[2 characters per token, 256 output tokens unless maxTokens]]"));
  }

  @Test
  void theApplicationsEstimatorWinsWhenAdmissionIsOn() {
    PromptEstimator own = new PromptEstimator() {
      @Override
      public Estimate estimate(org.springframework.ai.chat.prompt.Prompt prompt) {
        return new Estimate(1, 1);
      }

      @Override
      public String toString() {
        return "own";
      }
    };
    runner.withPropertyValues("tokenwatch.admission.enabled=true").withBean(PromptEstimator.class, () -> own)
        .run(context -> assertThat(context.getBean(TokenwatchAdvisor.class).toString()).endsWith("admission=own]"));
    runner.withBean(PromptEstimator.class, () -> own)
        .run(context -> assertThat(context.getBean(TokenwatchAdvisor.class).toString()).endsWith("admission=off]"));
  }

  @Test
  void badSettingsFailStartupNamingTheProperty() {
    runner.withPropertyValues("tokenwatch.admission.enabled=true", "tokenwatch.admission.characters-per-token=0")
        .run(context -> assertThat(chainText(context.getStartupFailure()))
            .contains("tokenwatch.admission: characters-per-token must be at least 1, got 0"));
    runner.withPropertyValues("tokenwatch.admission.enabled=true", "tokenwatch.admission.default-output-tokens=-1")
        .run(context -> assertThat(chainText(context.getStartupFailure()))
            .contains("tokenwatch.admission: default-output-tokens must not be negative, got -1"));
  }

  @Test
  void aBudgetsModeIsBoundSoftByDefault() {
    runner.run(context -> assertThat(context.getBean(TokenTracker.class).budgets().get(0).getBudget().mode())
        .isEqualTo(BudgetMode.SOFT));
    runner.withPropertyValues("tokenwatch.budgets[0].mode=hard").run(context -> assertThat(
        context.getBean(TokenTracker.class).budgets().get(0).getBudget().hard()).isTrue());
    assertBindFailure(runner.withPropertyValues("tokenwatch.budgets[0].mode=strict"), "tokenwatch.budgets[0].mode",
        "strict");
  }
}
