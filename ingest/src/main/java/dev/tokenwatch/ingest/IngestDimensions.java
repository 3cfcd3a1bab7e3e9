package dev.tokenwatch.ingest;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The project, session and tags a run gives records that carry none of their own (API responses
 * never do); set with {@link Ingestor.Builder#project}, {@code session} and {@code tag}.
 */
record IngestDimensions(String project, String session, SortedMap<String, String> tags) {

  static final IngestDimensions NONE = new IngestDimensions(null, null, new TreeMap<>());

  IngestDimensions {
    tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
  }
}
