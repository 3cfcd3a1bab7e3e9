package dev.tokenwatch.domain.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command that runs a main of the current test class path in a separate JVM, for crash and multi-process tests. */
public final class JavaCommand {

  private JavaCommand() {}

  /**
   * {@code java <jvmOptions> -cp <this JVM's class path> <main> <args>}, with this JVM's {@code java}
   * executable. C1 only unless the options say otherwise: children run briefly.
   */
  public static List<String> of(List<String> jvmOptions, Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return command;
  }
}
