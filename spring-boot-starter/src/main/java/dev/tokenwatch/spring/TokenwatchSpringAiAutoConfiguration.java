package dev.tokenwatch.spring;

import dev.tokenwatch.domain.TokenTracker;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.ai.chat.client.ChatClientBuilderCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers a {@link TokenwatchAdvisor} on every {@link ChatClient} built from Spring AI's
 * auto-configured {@code ChatClient.Builder} (through a {@link ChatClientBuilderCustomizer}), when
 * Spring AI is on the class path and a {@link TokenTracker} is configured. Off with {@code
 * tokenwatch.spring-ai.enabled=false}.
 */
@AutoConfiguration(after = TokenwatchAutoConfiguration.class)
@ConditionalOnClass({ChatClient.class, ChatClientBuilderCustomizer.class})
@ConditionalOnBean(TokenTracker.class)
@ConditionalOnBooleanProperty(name = TokenwatchProperties.PREFIX + ".spring-ai.enabled", matchIfMissing = true)
public class TokenwatchSpringAiAutoConfiguration {

  /**
   * The advisor, with the configured project and tags; reserving before each call when {@code
   * tokenwatch.admission.enabled=true}, with the application's {@link PromptEstimator} bean if any,
   * else the heuristic of {@code tokenwatch.admission.*}.
   */
  @Bean
  @ConditionalOnMissingBean
  public TokenwatchAdvisor tokenwatchAdvisor(TokenTracker tracker, TokenwatchProperties properties,
      ObjectProvider<PromptEstimator> estimator) {
    TokenwatchProperties.SpringAi springAi = properties.getSpringAi();
    TokenwatchProperties.Admission admission = properties.getAdmission();
    PromptEstimator estimate = !admission.isEnabled() ? null : estimator.getIfAvailable(() -> Adapters.named(
        TokenwatchProperties.PREFIX + ".admission", () -> PromptEstimator.heuristic(
            admission.getCharactersPerToken(), admission.getDefaultOutputTokens())));
    return Adapters.named(TokenwatchProperties.PREFIX + ".spring-ai",
        () -> new TokenwatchAdvisor(tracker, springAi.getProject(), springAi.getTags(), estimate));
  }

  /** Adds the advisor to every auto-configured {@code ChatClient.Builder}. */
  @Bean
  public ChatClientBuilderCustomizer tokenwatchChatClientCustomizer(TokenwatchAdvisor advisor) {
    return builder -> builder.defaultAdvisors(advisor);
  }
}
