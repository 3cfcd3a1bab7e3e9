package dev.tokenwatch.app.logging;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM for {@link AuditFileTest}: appends {@code count} lines {@code <name> <i>} to the audit
 * file at {@code args[0]} and prints each line's number once {@link AuditFile#append} returned
 * ("acknowledged"); a count of 0 means forever. Exits without closing the file when told to.
 */
public final class AuditFileWriterMain {

  private AuditFileWriterMain() {}

  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    String name = args[1];
    long count = Long.parseLong(args[2]);
    long maxHoldMillis = Long.parseLong(args[3]);
    AuditFile audit = new AuditFile(() -> file, Long.MAX_VALUE, 0, 64 * 1024,
        TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.MILLISECONDS.toNanos(maxHoldMillis));
    for (long i = 1; count == 0 || i <= count; i++) {
      audit.append("{\"writer\":\"" + name + "\",\"n\":" + i + ",\"pad\":\"" + "x".repeat((int) (i % 97)) + "\"}");
      System.out.println(i);
      System.out.flush();
    }
    audit.close();
  }
}
