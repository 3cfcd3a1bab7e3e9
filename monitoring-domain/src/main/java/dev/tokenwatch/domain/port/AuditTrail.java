package dev.tokenwatch.domain.port;

/**
 * Where the audit trail goes: every tracked event or batch, period roll-over, alert and reset, as a
 * typed {@link AuditRecord}. Called on the tracking thread before {@code track} returns, so an
 * implementation that must not lose a record on a crash can write it there; it should be quick. A
 * trail that throws is logged and does not break tracking.
 */
@FunctionalInterface
public interface AuditTrail {

  /** Records one entry. */
  void append(AuditRecord record);
}
