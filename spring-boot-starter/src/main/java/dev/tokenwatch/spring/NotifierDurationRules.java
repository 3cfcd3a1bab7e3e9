package dev.tokenwatch.spring;

import dev.tokenwatch.config.NotifierSettings;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * Applies the configuration model's rules for {@code tokenwatch.notifiers.give-up-after} and
 * {@code .wait-on-exit} ({@link NotifierSettings}, the rules of the CLI's {@code notifiers.giveUpAfter}
 * and {@code waitOnExit}) as Spring binds each value, so a value the file would refuse fails startup
 * with Spring's binding report naming the property, its value and its origin.
 */
final class NotifierDurationRules implements ConfigurationPropertiesBindHandlerAdvisor {

  static final String GIVE_UP_AFTER = TokenwatchProperties.PREFIX + ".notifiers.give-up-after";
  static final String WAIT_ON_EXIT = TokenwatchProperties.PREFIX + ".notifiers.wait-on-exit";

  /** Property -> the model's key and rule. */
  private static final Map<ConfigurationPropertyName, Map.Entry<String, UnaryOperator<Duration>>> RULES = Map.of(
      ConfigurationPropertyName.of(GIVE_UP_AFTER),
      Map.entry(NotifierSettings.GIVE_UP_AFTER_KEY, NotifierSettings::requireGiveUpAfter),
      ConfigurationPropertyName.of(WAIT_ON_EXIT),
      Map.entry(NotifierSettings.WAIT_ON_EXIT_KEY, NotifierSettings::requireWaitOnExit));

  @Override
  public BindHandler apply(BindHandler handler) {
    return new AbstractBindHandler(handler) {
      @Override
      public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result) {
        Object bound = super.onSuccess(name, target, context, result);
        Map.Entry<String, UnaryOperator<Duration>> rule = RULES.get(name);
        if (rule != null && bound instanceof Duration duration) {
          check(name, rule.getKey(), rule.getValue(), duration);
        }
        return bound;
      }
    };
  }

  /** The rule's message with the property in place of the model's key ("giveUpAfter must be ..."). */
  private static void check(ConfigurationPropertyName name, String key, UnaryOperator<Duration> rule,
      Duration value) {
    try {
      rule.apply(value);
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      throw new IllegalArgumentException(
          message.startsWith(key) ? name + message.substring(key.length()) : name + ": " + message, e);
    }
  }
}
