package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A store directory written by an earlier version, checked in as test resources, and its expected sums. */
final class StoreFixture {

  /** The files such a directory holds after one compaction and a journal. */
  static final List<String> FILES = List.of("manifest", "events-1.dat", "ids-1.dat", "journal-1.log");

  private StoreFixture() {}

  /** Copies the resource directory {@code name} (beside this class) into a new directory {@code target}. */
  static Path copy(String name, Path target) throws IOException {
    Path state = Files.createDirectory(target);
    for (String file : FILES) {
      try (InputStream in = StoreFixture.class.getResourceAsStream(name + "/" + file)) {
        Files.copy(in, state.resolve(file));
      }
    }
    return state;
  }

  /** What {@code window} should total over {@code events}. */
  static Counts sum(List<TokenUsageEvent> events, BudgetWindow window) {
    Counts sum = Counts.ZERO;
    for (TokenUsageEvent e : events) {
      if (window.charges(e)) {
        sum = sum.plus(Counts.of(e));
      }
    }
    return sum;
  }
}
