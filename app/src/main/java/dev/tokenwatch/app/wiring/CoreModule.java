package dev.tokenwatch.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import dev.tokenwatch.app.env.AppEnvironment;
import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.port.Clock;
import java.io.PrintStream;
import java.util.List;

/** Binds what the assembly starts from: the configuration, the environment, the resource owner. */
final class CoreModule extends AbstractModule {

  private final AppConfig config;
  private final AppEnvironment env;
  private final AppResources resources;
  private final PrintStream diagnostics;

  CoreModule(AppConfig config, AppEnvironment env, AppResources resources, PrintStream diagnostics) {
    this.config = config;
    this.env = env;
    this.resources = resources;
    this.diagnostics = diagnostics;
  }

  @Provides
  AppConfig config() {
    return config;
  }

  @Provides
  List<TokenBudget> budgets() {
    return config.budgets();
  }

  @Provides
  AppEnvironment environment() {
    return env;
  }

  @Provides
  Clock clock() {
    return env.clock();
  }

  @Provides
  AppResources resources() {
    return resources;
  }

  @Provides
  @Diagnostics
  PrintStream diagnostics() {
    return diagnostics;
  }
}
