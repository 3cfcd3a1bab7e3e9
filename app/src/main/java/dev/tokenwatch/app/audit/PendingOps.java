package dev.tokenwatch.app.audit;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tracking operations of one trail in this process that have gone to the store and may not be in
 * the audit trail yet: a file of its own, {@code audit.pending/<pid>-<start>-<n>.jsonl} in the state
 * directory, which names the process that writes it. Before the store is called, the operation's
 * number and events are appended as one line ({@link #begin}); once its tracking record is in the
 * trail (the record names the operation), it is ended ({@link #end}): the file is emptied when no
 * other operation is open, else a {@code done} line is appended. So what a kill -9 leaves open here is
 * at most the operations in flight, and a later process resolves them against the store ({@link
 * Reconciliation}). No fsync: like the trail, this survives a crash of the process, not a power cut.
 *
 * <p>Thread-safe; the operation between the store's return and the trail's record is the calling
 * thread's, kept here ({@link #recorded}, {@link #take}).
 */
final class PendingOps implements AutoCloseable {

  /** The directory of the pending files, in the state directory. */
  static final String DIRECTORY = "audit.pending";
  static final String SUFFIX = ".jsonl";
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final Path file;
  private final String name;
  private final ThreadLocal<Long> current = new ThreadLocal<>();
  private FileChannel channel;
  private long nextOp = 1;
  /** Begun and not ended; an operation whose store call failed, or whose record never came, stays. */
  private int open;
  private boolean closed;

  PendingOps(Path stateDirectory) {
    this.name = processStem(ProcessHandle.current()) + "-" + INSTANCES.incrementAndGet();
    this.file = stateDirectory.toAbsolutePath().normalize().resolve(DIRECTORY).resolve(name + SUFFIX);
  }

  /** {@code <pid>-<start in epoch ms>} of {@code process}, 0 for a start the OS does not tell. */
  static String processStem(ProcessHandle process) {
    return process.pid() + "-" + process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }

  /**
   * Whether the process that named a pending file {@code fileName} still runs (the same process: a
   * reused pid has another start time). A name that is not such a name counts as running: left alone.
   */
  static boolean writerAlive(String fileName) {
    String[] parts = fileName.split("-");
    try {
      long pid = Long.parseLong(parts[0]);
      long start = Long.parseLong(parts[1]);
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      return process.isPresent() && (start == 0
          || process.get().info().startInstant().map(at -> at.toEpochMilli() == start).orElse(true));
    } catch (RuntimeException notOurs) {
      return true;
    }
  }

  /** The id the trail knows operation {@code op} by: unique across processes. */
  String id(long op) {
    return name + "/" + op;
  }

  Path file() {
    return file;
  }

  /** Writes that an operation of {@code events} begins; its number. */
  synchronized long begin(List<TokenUsageEvent> events) throws IOException {
    if (closed) {
      throw new IllegalStateException("the audit trail's pending file " + file + " is closed");
    }
    long op = nextOp++;
    write(AuditJson.pending(op, events), false);
    open++;
    return op;
  }

  /** The store has applied {@code op} for this thread; its tracking record comes next. */
  void recorded(long op) {
    current.set(op); // an operation still set here got no record: it stays open, resolved after the process
  }

  /** This thread's operation that the store has applied and the trail not yet recorded, or 0. */
  long take() {
    Long op = current.get();
    current.remove();
    return op == null ? 0 : op;
  }

  /** The trail has the record of {@code op}. */
  synchronized void end(long op) throws IOException {
    if (closed) {
      return; // left open: a later process finds its record in the trail
    }
    open--;
    if (open == 0) {
      write(null, true);
    } else {
      write(AuditJson.done(op), false);
    }
  }

  private void write(byte[] line, boolean empty) throws IOException {
    boolean interrupted = Thread.interrupted(); // an interrupted thread's channel would close itself
    try {
      if (channel == null || !channel.isOpen()) {
        OwnerOnlyFiles.createDirectories(file.getParent());
        channel = OwnerOnlyFiles.openForAppend(file);
      }
      if (empty) {
        channel.truncate(0);
        return;
      }
      ByteBuffer bytes = ByteBuffer.wrap(line);
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Deletes the file if nothing is open; else leaves it for the next process to resolve. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (channel != null) {
      channel.close();
    }
    if (open == 0) {
      Files.deleteIfExists(file);
    }
  }
}
