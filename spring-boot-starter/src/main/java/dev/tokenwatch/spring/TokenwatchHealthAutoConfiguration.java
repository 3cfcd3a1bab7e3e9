package dev.tokenwatch.spring;

import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.port.UsageStore;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * A health indicator "tokenwatch" for the store, when actuator's health support is on the class
 * path (off with {@code management.health.tokenwatch.enabled=false}).
 */
@AutoConfiguration(after = TokenwatchAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean({TokenTracker.class, UsageStore.class})
@org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator("tokenwatch")
public class TokenwatchHealthAutoConfiguration {

  /** Reads each budget's usage from the store. */
  @Bean
  @ConditionalOnMissingBean(name = "tokenwatchHealthIndicator")
  public HealthIndicator tokenwatchHealthIndicator(TokenTracker tracker, UsageStore store) {
    return new TokenwatchHealthIndicator(tracker, store);
  }
}
