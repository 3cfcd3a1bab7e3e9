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
 * is applied, in which order and in which batches, does not depend on thread timing. Readers run
 * at most a few sources ahead of the applying thread, so memory stays bounded however many small
 * files there are.
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
  /** Sources started and not yet drained: enough to keep every thread busy while one is drained. */
  private final int window;

  /** @param reader makes the reader of each thread (it reuses its buffer and parser) */
  ReaderPool(int parallelism, Supplier<SourceReader> reader, InputStream stdin) {
    this.threads = Executors.newFixedThreadPool(parallelism, new ReaderThreads());
    this.readers = ThreadLocal.withInitial(reader);
    this.stdin = stdin;
    this.window = parallelism * 2;
  }

  /** Starts reading {@code sources}, standard input last (it may not end while files wait). */
  Pass start(List<Source> sources) {
    List<Source> order = new ArrayList<>(sources.size());
    sources.stream().filter(s -> !s.isStdin()).forEach(order::add);
    sources.stream().filter(Source::isStdin).forEach(order::add);
    Pass pass = new Pass(order);
    while (pass.started < order.size() && pass.started < window) {
      pass.startNext();
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
  final class Pass {
    private final List<Source> sources;
    private final List<BlockingQueue<Chunk>> queues;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    /** The source being drained. */
    private int current;
    private int started;

    private Pass(List<Source> sources) {
      this.sources = sources;
      this.queues = new ArrayList<>(sources.size());
    }

    private void startNext() {
      Source source = sources.get(started++);
      BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
      queues.add(queue);
      ChunkSink sink = new ChunkSink(queue, cancelled);
      threads.execute(() -> read(source, sink));
    }

    /** Whether every source's last chunk was taken. */
    boolean done() {
      return current == sources.size();
    }

    /** Whether the source being drained is standard input (whose lines may come slowly). */
    boolean drainingStream() {
      return !done() && sources.get(current).isStdin();
    }

    /** The next chunk in source order, or null if none arrived within {@code millis}. */
    Chunk poll(long millis) throws InterruptedException {
      Chunk chunk = queues.get(current).poll(millis, TimeUnit.MILLISECONDS);
      if (chunk != null && chunk.last) {
        queues.set(current++, null); // drained: let its chunks go
        if (started < sources.size() && !cancelled.get()) {
          startNext();
        }
      }
      return chunk;
    }

    /** Ends the pass: readers drop what they would hand over and stop at their next read. */
    void cancel() {
      cancelled.set(true);
      queues.forEach(queue -> {
        if (queue != null) {
          queue.clear();
        }
      });
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
