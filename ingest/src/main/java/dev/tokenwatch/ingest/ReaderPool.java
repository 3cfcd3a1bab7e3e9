package dev.tokenwatch.ingest;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The reader threads of a run, and the hand-over of what they read to the applying thread in the
 * order of the sources. A fixed pool reads up to {@code parallelism} sources at once, each into a
 * small queue of its own; the applying thread drains the queues one source after another, so what
 * is applied, in which order and in which batches, does not depend on thread timing.
 *
 * <p>No deadlock: sources start in order, so the source being drained was started before any that
 * waits for room, and it keeps its thread until its last chunk is in its queue.
 */
final class ReaderPool implements AutoCloseable {

  private static final Logger LOG = LogManager.getLogger(ReaderPool.class);
  /** Chunks a source may read ahead of the applying thread. */
  private static final int QUEUE_CHUNKS = 4;

  private final ExecutorService threads;
  private final ThreadLocal<SourceReader> readers;
  private final InputStream stdin;

  /** @param reader makes the reader of each thread (it reuses its buffer and parser) */
  ReaderPool(int parallelism, Supplier<SourceReader> reader, InputStream stdin) {
    this.threads = Executors.newFixedThreadPool(parallelism, new ReaderThreads());
    this.readers = ThreadLocal.withInitial(reader);
    this.stdin = stdin;
  }

  /** Starts reading {@code sources}, standard input last (it may not end while files wait). */
  Pass start(List<Source> sources) {
    List<Source> order = new ArrayList<>(sources.size());
    sources.stream().filter(s -> !s.isStdin()).forEach(order::add);
    sources.stream().filter(Source::isStdin).forEach(order::add);
    Pass pass = new Pass(order.size());
    for (Source source : order) {
      BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
      pass.queues.add(queue);
      ChunkSink sink = new ChunkSink(queue, pass.cancelled);
      threads.execute(() -> read(source, sink));
    }
    return pass;
  }

  private void read(Source source, ChunkSink sink) {
    try {
      if (source.isStdin()) {
        readers.get().readStream(source, stdin, sink);
      } else {
        readers.get().readFile(source, sink);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the run was stopped; nothing more to hand over
    } catch (RuntimeException | Error e) {
      Chunk failed = new Chunk(source, 0);
      failed.failure = e;
      failed.last = true;
      try {
        sink.put(failed);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        LOG.warn("reading {} failed after the run was stopped: {}", source.name, e.toString());
      }
    }
  }

  /** Stops the reader threads (a reader blocked on standard input is a daemon and ends with the JVM). */
  @Override
  public void close() {
    threads.shutdownNow();
  }

  /** The chunks of one pass, in source order. */
  static final class Pass {
    private final List<BlockingQueue<Chunk>> queues;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private int current;

    private Pass(int sources) {
      this.queues = new ArrayList<>(sources);
    }

    /** Whether every source's last chunk was taken. */
    boolean done() {
      return current == queues.size();
    }

    /** The next chunk in source order, or null if none arrived within {@code millis}. */
    Chunk poll(long millis) throws InterruptedException {
      Chunk chunk = queues.get(current).poll(millis, TimeUnit.MILLISECONDS);
      if (chunk != null && chunk.last) {
        current++;
      }
      return chunk;
    }

    /** Ends the pass: readers drop what they would hand over and stop at their next read. */
    void cancel() {
      cancelled.set(true);
      queues.forEach(BlockingQueue::clear);
    }
  }

  private static final class ReaderThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      // daemon: a reader blocked on standard input must not keep the JVM alive after a stop
      Thread thread = new Thread(task, "tokenwatch-ingest-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
