package dev.tokenwatch.domain;

/**
 * The commit of a reservation's actual usage.
 *
 * @param tracked what tracking the usage did
 * @param held whether the reservation was still open (false if it had expired, was settled already
 *     or is unknown; the usage was recorded all the same)
 */
public record Committed(TrackResult tracked, boolean held) {}
