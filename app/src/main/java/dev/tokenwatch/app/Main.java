package dev.tokenwatch.app;

import dev.tokenwatch.app.cli.Cli;
import dev.tokenwatch.app.cli.CliContext;
import dev.tokenwatch.app.env.AppEnvironment;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Entry point of the {@code tokenwatch} command. */
public final class Main {

  private Main() {}

  /** Runs the command line and exits with its exit code (see {@code tokenwatch --help}). */
  public static void main(String[] args) {
    // UTF-8 regardless of the locale, so the usage bar and names survive a POSIX locale.
    PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
        false, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    int exitCode = Cli.run(args, new CliContext(AppEnvironment.system(), out, err, true));
    out.flush();
    System.exit(exitCode);
  }
}
