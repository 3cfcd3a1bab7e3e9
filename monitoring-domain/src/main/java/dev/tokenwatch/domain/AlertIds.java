package dev.tokenwatch.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** Alert ids: 16 hex digits of a SHA-256 over what identifies an alert. */
final class AlertIds {

  private AlertIds() {}

  static String of(String budgetName, AlertKind kind, double threshold, Instant raisedAt) {
    String identity = budgetName + '\n' + kind + '\n' + threshold + '\n' + raisedAt;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
