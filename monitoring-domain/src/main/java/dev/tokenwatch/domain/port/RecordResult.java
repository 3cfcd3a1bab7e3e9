package dev.tokenwatch.domain.port;

/**
 * What {@link UsageStore#record} did with a batch.
 *
 * @param currentPeriodUsed tokens charged to the current period after the batch
 * @param recorded events counted for the first time
 * @param replaced events that replaced an earlier, smaller record with the same request id
 * @param duplicates events dropped because their request id was already counted with a total at
 *     least as large
 * @param currentPeriodDelta tokens the batch added to the current period (0 if it only touched other
 *     periods or held only duplicates)
 */
public record RecordResult(
    long currentPeriodUsed, int recorded, int replaced, int duplicates, long currentPeriodDelta) {}
