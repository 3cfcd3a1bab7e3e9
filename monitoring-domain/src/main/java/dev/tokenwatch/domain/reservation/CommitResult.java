package dev.tokenwatch.domain.reservation;

import dev.tokenwatch.domain.port.RecordResult;

/**
 * What {@code UsageStore.commit} did.
 *
 * @param recorded the recording of the actual usage, as {@code UsageStore.record} reports it
 * @param held whether the reservation was still open (false when it had expired, was settled
 *     already or is unknown: the usage is recorded all the same)
 */
public record CommitResult(RecordResult recorded, boolean held) {}
