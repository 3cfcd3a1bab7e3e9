package dev.tokenwatch.app.wiring;

/** The usage store could not be opened, read, written or closed. Exit code 3. */
public final class StoreException extends RuntimeException {

  /** A store failure with its message and cause. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
