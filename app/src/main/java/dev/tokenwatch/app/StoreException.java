package dev.tokenwatch.app;

/** The usage store could not be opened, read, written or closed. Exit code 3. */
final class StoreException extends RuntimeException {

  StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
