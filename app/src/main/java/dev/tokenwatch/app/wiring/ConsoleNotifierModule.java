package dev.tokenwatch.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.tokenwatch.app.env.AppEnvironment;
import dev.tokenwatch.domain.port.AlertSink;
import dev.tokenwatch.notifier.console.ConsoleAlertSink;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** {@code notifiers: - type: console}: one line per alert on stderr, coloured on a terminal. */
final class ConsoleNotifierModule extends AbstractModule {

  @ProvidesIntoSet
  AlertSink console(@Diagnostics PrintStream diagnostics, AppEnvironment env) {
    // The CLI's diagnostics stream always encodes UTF-8 (see Main).
    boolean colour = ConsoleAlertSink.colourWanted(env.stdoutIsTerminal(), env.variables()::get);
    return ConsoleAlertSink.builder(diagnostics).colour(colour).charset(StandardCharsets.UTF_8).build();
  }
}
