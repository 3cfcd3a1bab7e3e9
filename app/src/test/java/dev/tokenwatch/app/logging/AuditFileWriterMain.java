package dev.tokenwatch.app.logging;

import java.nio.file.Path;

/**
 * A child JVM for {@link AuditFileTest}: appends {@code count} lines to the audit log at {@code
 * args[0]} with a ring of {@code args[3]} bytes and prints each line's number once {@link
 * AuditFile#append} returned ("acknowledged"); a count of 0 means forever, until killed.
 */
public final class AuditFileWriterMain {

  private AuditFileWriterMain() {}

  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    String name = args[1];
    long count = Long.parseLong(args[2]);
    int ringBytes = Integer.parseInt(args[3]);
    AuditFile audit = new AuditFile(() -> file, Long.MAX_VALUE, 0, ringBytes);
    for (long i = 1; count == 0 || i <= count; i++) {
      audit.append(AuditFileTest.line(name, i));
      System.out.println(i);
      System.out.flush();
    }
    audit.close();
  }
}
