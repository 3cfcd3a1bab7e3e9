package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.port.ChargedEvent;
import java.time.Instant;
import java.util.List;

/** One decoded journal line. */
sealed interface JournalRecord {

  /** The first line of every journal file. */
  record Header(int format, long generation) implements JournalRecord {}

  /** Events that changed a budget (duplicates are not journaled). */
  record Recorded(String budget, int historySize, List<ChargedEvent> events) implements JournalRecord {}

  /** A successful threshold claim. */
  record Claimed(String budget, Instant period, double threshold) implements JournalRecord {}

  /** A period reset. */
  record Reset(String budget, Instant period) implements JournalRecord {}

  /**
   * The last line of a journal that was compacted: its state is in the snapshot of generation
   * {@code next}, and journal {@code next} continues it.
   */
  record Sealed(long next) implements JournalRecord {}
}
