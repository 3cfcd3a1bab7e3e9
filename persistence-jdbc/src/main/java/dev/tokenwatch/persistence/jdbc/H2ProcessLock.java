package dev.tokenwatch.persistence.jdbc;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turn-taking between tokenwatch processes on one H2 file: an OS lock on {@code <name>.tokenwatch.lock}
 * (rw-------), held from before H2 opens the database until the store is closed. A process that
 * finds it held waits in the kernel ({@code FileChannel.lock}), so it is woken as soon as the holder
 * closes, rather than polling H2's own lock and losing the race to a holder that closes and reopens
 * at once (starving for the whole timeout). The OS drops the lock when the holder dies, even on
 * kill -9. Stores of one JVM on one file share the lock (Java allows one lock per file and JVM).
 */
final class H2ProcessLock implements AutoCloseable {

  static final String SUFFIX = ".tokenwatch.lock";

  private static final Map<Path, Held> HELD = new HashMap<>();

  private static final class Held {
    final FileChannel channel;
    final FileLock lock;
    int users;

    Held(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }
  }

  private final Path file;
  private boolean closed;

  private H2ProcessLock(Path file) {
    this.file = file;
  }

  /**
   * Takes the lock for {@code database} within {@code timeout}.
   *
   * @throws TimeoutException if another process held it for the whole timeout
   */
  static H2ProcessLock acquire(Path database, Duration timeout) throws IOException, TimeoutException {
    Path file = H2Files.file(database, SUFFIX);
    synchronized (HELD) {
      Held held = HELD.get(file);
      if (held != null) {
        held.users++;
        return new H2ProcessLock(file);
      }
      FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
          H2Files.ownerOnlyFile());
      try {
        FileLock lock = channel.tryLock();
        if (lock == null) {
          lock = await(channel, timeout);
        }
        Held taken = new Held(channel, lock);
        taken.users = 1;
        HELD.put(file, taken);
        return new H2ProcessLock(file);
      } catch (IOException | TimeoutException | RuntimeException e) {
        channel.close();
        throw e;
      }
    }
  }

  /** Blocks in the kernel for the lock, in a helper thread so the wait can end at the timeout (by closing the channel). */
  private static FileLock await(FileChannel channel, Duration timeout) throws IOException, TimeoutException {
    CompletableFuture<FileLock> locked = new CompletableFuture<>();
    Thread waiter = new Thread(() -> {
      try {
        locked.complete(channel.lock());
      } catch (IOException | RuntimeException e) {
        locked.completeExceptionally(e);
      }
    }, "tokenwatch-h2-lock-wait");
    waiter.setDaemon(true);
    waiter.start();
    try {
      return locked.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      channel.close(); // wakes the waiter with AsynchronousCloseException
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.close();
      throw new IOException("interrupted while waiting for the lock on " + channel, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("waiting for the lock failed: " + e.getCause(), e.getCause());
    }
  }

  Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    synchronized (HELD) {
      if (closed) {
        return;
      }
      closed = true;
      Held held = HELD.get(file);
      if (held != null && --held.users == 0) {
        HELD.remove(file);
        try {
          held.lock.release();
        } finally {
          held.channel.close();
        }
      }
    }
  }
}
