package dev.tokenwatch.app.wiring;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import dev.tokenwatch.app.env.AppEnvironment;
import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.config.NotifierConfig;
import dev.tokenwatch.config.StoreConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the Guice modules from the configuration and builds the injector. The choice is made
 * here, once, before the injector exists; the modules themselves contain no conditions.
 */
public final class Assembly {

  private Assembly() {}

  /** The modules for {@code config}: core, domain, one store module, one module per notifier. */
  static List<Module> modulesFor(
      AppConfig config, AppEnvironment env, AppResources resources, PrintStream diagnostics) {
    List<Module> modules = new ArrayList<>();
    modules.add(new CoreModule(config, env, resources, diagnostics));
    modules.add(new TrackerModule());
    modules.add(storeModule(config.store()));
    for (NotifierConfig notifier : config.notifiers()) {
      modules.add(notifierModule(notifier));
    }
    return modules;
  }

  /** Builds the application for {@code config}; nothing is opened until a command asks for it. */
  public static Application assemble(AppConfig config, AppEnvironment env, PrintStream diagnostics) {
    tuneGuiceForStartup();
    AppResources resources = new AppResources();
    // Development stage: singletons are created on first use, so a command opens only what it uses.
    Injector injector = Guice.createInjector(Stage.DEVELOPMENT, modulesFor(config, env, resources, diagnostics));
    return new Application(injector, config, resources);
  }

  private static Module storeModule(StoreConfig store) {
    if (store instanceof StoreConfig.Memory) {
      return new MemoryStoreModule();
    }
    if (store instanceof StoreConfig.File file) {
      return new FileStoreModule(file);
    }
    return new JdbcStoreModule((StoreConfig.Jdbc) store);
  }

  private static Module notifierModule(NotifierConfig notifier) {
    if (notifier instanceof NotifierConfig.Slack slack) {
      return new SlackNotifierModule(slack);
    }
    return new ConsoleNotifierModule();
  }

  /**
   * Guice's defaults favour long-running servers: it generates bytecode for provider methods and
   * records a stack trace per binding. Both cost start-up time a short CLI run never earns back.
   * Explicit {@code -D} settings win.
   */
  private static void tuneGuiceForStartup() {
    setIfAbsent("guice_bytecode_gen_option", "DISABLED");
    setIfAbsent("guice_include_stack_traces", "OFF");
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}
