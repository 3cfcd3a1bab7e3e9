package dev.tokenwatch.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code notifiers} section: where alerts go and how long their delivery is tried.
 *
 * @param sinks the notifiers, in order; empty for none
 * @param giveUpAfter how long an undelivered alert is retried before it is given up ({@code
 *     notifiers.giveUpAfter}, 24 hours by default); positive
 * @param waitOnExit how long a command waits for alerts still being delivered before it exits,
 *     leaving the rest to a later process ({@code notifiers.waitOnExit}, 3 seconds by default); zero
 *     or more
 */
public record NotifierSettings(List<NotifierConfig> sinks, Duration giveUpAfter, Duration waitOnExit) {

  /** The key of {@link #giveUpAfter}. */
  public static final String GIVE_UP_AFTER_KEY = "giveUpAfter";
  /** The key of {@link #waitOnExit}. */
  public static final String WAIT_ON_EXIT_KEY = "waitOnExit";
  public static final Duration DEFAULT_GIVE_UP_AFTER = Duration.ofHours(24);
  public static final Duration DEFAULT_WAIT_ON_EXIT = Duration.ofSeconds(3);

  /** @throws IllegalArgumentException naming the setting and its value if a duration is out of range */
  public NotifierSettings {
    sinks = List.copyOf(sinks);
    requireGiveUpAfter(Objects.requireNonNull(giveUpAfter, GIVE_UP_AFTER_KEY));
    requireWaitOnExit(Objects.requireNonNull(waitOnExit, WAIT_ON_EXIT_KEY));
  }

  /**
   * {@code value}, if it may be {@link #giveUpAfter}: positive, in whole seconds. The rule of every
   * front end (the file's {@code notifiers.giveUpAfter}, the Spring property).
   *
   * @throws IllegalArgumentException starting with {@value #GIVE_UP_AFTER_KEY} and ending with the value
   */
  public static Duration requireGiveUpAfter(Duration value) {
    return Durations.require(GIVE_UP_AFTER_KEY, value, false, DEFAULT_GIVE_UP_AFTER);
  }

  /**
   * {@code value}, if it may be {@link #waitOnExit}: zero or more, in whole seconds. The rule of
   * every front end (the file's {@code notifiers.waitOnExit}, the Spring property).
   *
   * @throws IllegalArgumentException starting with {@value #WAIT_ON_EXIT_KEY} and ending with the value
   */
  public static Duration requireWaitOnExit(Duration value) {
    return Durations.require(WAIT_ON_EXIT_KEY, value, true, DEFAULT_WAIT_ON_EXIT);
  }

  /** {@code sinks} with the default durations. */
  public static NotifierSettings of(List<NotifierConfig> sinks) {
    return new NotifierSettings(sinks, DEFAULT_GIVE_UP_AFTER, DEFAULT_WAIT_ON_EXIT);
  }

  /** The default: alerts on the console, default durations. */
  public static NotifierSettings defaults() {
    return of(List.of(new NotifierConfig.Console()));
  }
}
