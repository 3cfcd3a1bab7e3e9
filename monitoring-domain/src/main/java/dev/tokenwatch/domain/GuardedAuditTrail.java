package dev.tokenwatch.domain;

import dev.tokenwatch.domain.port.AuditRecord;
import dev.tokenwatch.domain.port.AuditTrail;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Passes records to an {@link AuditTrail}; a trail that throws is logged, and tracking goes on. */
final class GuardedAuditTrail {

  private static final Logger LOG = LogManager.getLogger(GuardedAuditTrail.class);

  private final AuditTrail trail;

  /** Passes records to {@code trail}; {@code null} for no trail. */
  GuardedAuditTrail(AuditTrail trail) {
    this.trail = trail;
  }

  /** Whether records go anywhere: without a trail the tracker need not build them. */
  boolean isOn() {
    return trail != null;
  }

  void append(AuditRecord record) {
    if (trail == null) {
      return;
    }
    try {
      trail.append(record);
    } catch (RuntimeException e) {
      LOG.error("Audit trail {} failed to record a {} made at {}: {}", trail.getClass().getName(),
          record.getClass().getSimpleName(), record.time(), e.toString(), e);
    }
  }
}
