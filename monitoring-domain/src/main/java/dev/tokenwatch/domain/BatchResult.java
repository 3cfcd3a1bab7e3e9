package dev.tokenwatch.domain;

import java.util.Optional;

/**
 * The result of tracking a batch of events in one store operation.
 *
 * @param alert the alert the batch raised, if any (at most one: the highest threshold reached)
 * @param usage the current period's usage afterwards
 * @param recorded events counted for the first time
 * @param replaced events that replaced an earlier, smaller record with the same request id
 * @param duplicates events dropped as duplicates
 * @param beforeRetention events dropped because they lie before the store's retained range
 */
public record BatchResult(Optional<Alert> alert, Usage usage, int recorded, int replaced, int duplicates,
    int beforeRetention) {}
