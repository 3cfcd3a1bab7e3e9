package dev.tokenwatch.ingest;

/**
 * Receives progress while an {@link Ingestor} runs, always from the one thread that applies
 * batches, so implementations need no locking.
 */
public interface IngestProgressListener {

  /** A listener that ignores progress. */
  IngestProgressListener NONE = (done, total) -> {};

  /**
   * Bytes of input handled so far out of the bytes known to be pending.
   *
   * @param bytesDone bytes read and applied in this run
   * @param bytesTotal bytes to read as known at the start of the pass; grows in follow mode; {@code
   *     -1} when unknown (standard input)
   */
  void progress(long bytesDone, long bytesTotal);

  /** Called once when the run ends, after the last {@link #progress} call. */
  default void finished(IngestSummary summary) {}
}
