package dev.tokenwatch.ingest;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where a reader hands the chunks of one source: that source's bounded queue, drained by the
 * applying thread. Once the pass is cancelled, chunks are dropped rather than waited on.
 */
final class ChunkSink {

  private static final long WAIT_MILLIS = 100;

  private final BlockingQueue<Chunk> queue;
  private final AtomicBoolean cancelled;

  ChunkSink(BlockingQueue<Chunk> queue, AtomicBoolean cancelled) {
    this.queue = queue;
    this.cancelled = cancelled;
  }

  /** Waits for room in the queue; returns without handing over if the pass is cancelled meanwhile. */
  void put(Chunk chunk) throws InterruptedException {
    while (!cancelled.get()) {
      if (queue.offer(chunk, WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        return;
      }
    }
  }

  boolean cancelled() {
    return cancelled.get();
  }
}
