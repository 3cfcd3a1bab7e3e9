package dev.tokenwatch.ingest;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive lines of one source, parsed by a reader thread and handed to the applying thread.
 * The offsets are absolute: after this chunk's events are applied, the source may be resumed at
 * {@link #endOffset}.
 */
final class Chunk {

  final Source source;
  final List<TokenUsageEvent> events;
  long endOffset;
  long endLine;
  long lines;
  long bytes;
  long nonUsage;
  long chargedAtIngestTime;
  long malformed;
  final List<MalformedLine> malformedSamples = new ArrayList<>();
  /** Set in strict mode: the malformed line the source stopped at (not part of this chunk). */
  MalformedLine strictStop;
  /** The first line stamped in the future: the source stopped before it (not part of this chunk). */
  MalformedLine futureStop;
  /** That line and the complete lines after it, left for a later run. */
  long futureLines;
  /** The source's context after this chunk's last line ({@link SourceContext#saved}). */
  java.util.Map<String, String> context = java.util.Map.of();
  /** The source has no more lines in this pass. */
  boolean last;
  /** The reader failed; the run stops with this. */
  Throwable failure;

  Chunk(Source source, int capacity) {
    this.source = source;
    this.events = new ArrayList<>(capacity);
  }

  boolean isEmpty() {
    return lines == 0 && events.isEmpty();
  }
}
