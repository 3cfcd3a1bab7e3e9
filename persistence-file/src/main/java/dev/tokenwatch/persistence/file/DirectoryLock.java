package dev.tokenwatch.persistence.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock of one store directory: a JVM-wide {@link ReentrantLock} plus an OS lock
 * ({@link FileChannel#lock()}) on the directory's lock file.
 *
 * <p>One instance per directory per JVM, shared by every store opened on it: OS file locks belong
 * to the process, so two channels of one JVM would either collide ({@code
 * OverlappingFileLockException}) or, on POSIX, release each other's lock when one is closed.
 */
final class DirectoryLock {

  private static final Map<Path, DirectoryLock> OPEN = new HashMap<>();

  private final Path key;
  private final Path lockFile;
  private final FileChannel channel;
  private final ReentrantLock jvmLock = new ReentrantLock();
  private FileLock held;
  private int users;

  private DirectoryLock(Path key, Path lockFile, FileChannel channel) {
    this.key = key;
    this.lockFile = lockFile;
    this.channel = channel;
  }

  /** The lock of {@code directory} (an existing directory), shared with other users in this JVM. */
  static DirectoryLock of(Path directory, String lockFileName) throws IOException {
    Path key = directory.toRealPath();
    synchronized (OPEN) {
      DirectoryLock lock = OPEN.get(key);
      if (lock == null) {
        Path file = key.resolve(lockFileName);
        FileChannel channel = FileChannel.open(file,
            java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
            StoreFiles.fileAttributes());
        lock = new DirectoryLock(key, file, channel);
        OPEN.put(key, lock);
      }
      lock.users++;
      return lock;
    }
  }

  /** Takes the JVM lock, then the OS lock; blocks until both are held. */
  void lock() {
    jvmLock.lock();
    try {
      held = channel.lock();
    } catch (IOException e) {
      jvmLock.unlock();
      throw new UncheckedIOException("cannot lock " + lockFile, e);
    } catch (RuntimeException e) {
      jvmLock.unlock();
      throw e;
    }
  }

  /** Releases the OS lock, then the JVM lock. */
  void unlock() {
    try {
      FileLock lock = held;
      held = null;
      lock.release();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unlock " + lockFile, e);
    } finally {
      jvmLock.unlock();
    }
  }

  /** Gives up this user's share; the last user closes the lock file. */
  void release() throws IOException {
    synchronized (OPEN) {
      if (--users == 0) {
        OPEN.remove(key);
        channel.close();
      }
    }
  }
}
