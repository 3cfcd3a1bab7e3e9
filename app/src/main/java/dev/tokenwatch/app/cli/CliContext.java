package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.env.AppEnvironment;
import dev.tokenwatch.app.logging.AppLogging;
import dev.tokenwatch.app.logging.Redaction;
import dev.tokenwatch.app.wiring.Application;
import dev.tokenwatch.app.wiring.Assembly;
import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.config.ConfigLoader;
import dev.tokenwatch.ingest.TextProgressBar;
import java.io.PrintStream;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;

/**
 * What every command shares: the environment, the output streams, the {@code --config} option, and
 * the application, which is assembled on first use only (so {@code --help}, {@code --version} and
 * {@code config} start no injector and open no store).
 */
public final class CliContext implements AutoCloseable {

  private final AppEnvironment env;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean ownsProcess;
  private String configOption;
  private AppConfig config;
  /** Read by the shutdown hook's thread too. */
  private volatile Application application;
  private Thread shutdownHook;

  /**
   * @param ownsProcess true when running as the {@code tokenwatch} process (not inside a test): a
   *     shutdown hook closes resources on Ctrl-C, and Log4j is shut down at the end
   */
  public CliContext(AppEnvironment env, PrintStream out, PrintStream err, boolean ownsProcess) {
    this.env = env;
    this.out = out;
    this.err = env.stderrIsTerminal() ? TextProgressBar.sharedLine(err) : err; // an alert clears ingest's bar first
    this.ownsProcess = ownsProcess;
  }

  AppEnvironment env() {
    return env;
  }

  /** Data: what scripts read. */
  PrintStream out() {
    return out;
  }

  /** Diagnostics, prompts and alerts. */
  PrintStream err() {
    return err;
  }

  void setConfigOption(String path) {
    this.configOption = path;
  }

  /** The effective configuration, loaded on first call. */
  AppConfig config() {
    if (config == null) {
      config = new ConfigLoader(env).sourceTypes(Sources.TYPES).load(Optional.ofNullable(configOption));
      config.secrets().forEach(Redaction::register); // masked in every message and log line from now on
    }
    return config;
  }

  /** The application for the effective configuration, assembled on first call. */
  Application application() {
    return application(config());
  }

  /** The application for {@code effective} (the {@code demo} command brings its own configuration). */
  Application application(AppConfig effective) {
    if (application == null) {
      AppLogging.start(); // before any class that logs is loaded: Log4j would look for a configuration file
      Application assembled = Assembly.assemble(effective, env, err);
      if (ownsProcess) {
        shutdownHook = new Thread(this::closeOnShutdown, "tokenwatch-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
      }
      application = assembled;
    }
    return application;
  }

  /** Closes the application (newest resource first) if one was assembled. */
  @Override
  public void close() {
    Application open = application;
    application = null;
    try {
      if (open != null) {
        open.close();
      }
    } finally {
      if (shutdownHook != null) {
        removeShutdownHook();
        shutdownHook = null;
        shutdownLogging();
      }
      out.flush();
      err.flush();
    }
  }

  private void closeOnShutdown() {
    try {
      shutDown();
    } finally {
      shutdownLogging();
      out.flush();
      err.flush();
    }
  }

  /**
   * What Ctrl-C does, from another thread than the command's: closes the application's resources,
   * newest first, so a running {@code ingest} is stopped (and prints its summary) before the store
   * it writes to is closed. The command's own {@link #close()} then finds everything closed.
   */
  void shutDown() {
    Application open = application;
    try {
      if (open != null) {
        open.close();
      }
    } catch (RuntimeException e) {
      err.println("tokenwatch: " + Redaction.redact(e.getMessage()));
    }
  }

  private void removeShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // Already exiting: the hook itself is running (or about to) and closes what is left.
    }
  }

  /** Log4j's own shutdown hook is off (see AppLogConfiguration), so its last lines are written after ours. */
  private static void shutdownLogging() {
    LogManager.shutdown();
  }
}
