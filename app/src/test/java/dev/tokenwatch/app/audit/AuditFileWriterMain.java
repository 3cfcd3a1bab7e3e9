package dev.tokenwatch.app.audit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A child JVM for {@link AuditFileTest}: appends {@code args[2]} lines (0: until killed) as writer
 * {@code args[1]} to the audit log at {@code args[0]}, rolled over at {@code args[3]} bytes keeping
 * {@code args[4]} older files, and prints each line's number once {@link AuditFile#append} returned
 * ("acknowledged").
 */
public final class AuditFileWriterMain {

  private AuditFileWriterMain() {}

  public static void main(String[] args) throws Exception {
    long count = Long.parseLong(args[2]);
    try (AuditFile audit = new AuditFile(Path.of(args[0]), Long.parseLong(args[3]), Integer.parseInt(args[4]))) {
      for (long i = 1; count == 0 || i <= count; i++) {
        audit.append((AuditFileTest.line(args[1], i) + "\n").getBytes(StandardCharsets.UTF_8));
        System.out.println(i);
        System.out.flush();
      }
    }
  }
}
