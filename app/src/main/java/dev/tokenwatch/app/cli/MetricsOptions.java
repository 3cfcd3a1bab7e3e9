package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.wiring.Application;
import dev.tokenwatch.ingest.Ingestor;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

/**
 * {@code ingest --follow}'s {@code --metrics-port} and {@code --metrics-host} (a picocli mixin): the
 * run's meters on a Prometheus endpoint ({@link MetricsEndpoint}), loopback unless told otherwise.
 */
final class MetricsOptions {

  static final String DEFAULT_HOST = "127.0.0.1";

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "With --follow: serve Prometheus metrics (token usage per model, each budget's use) at "
          + "http://HOST:PORT/metrics while following; 0 picks a free port.")
  Integer port;

  @Option(names = "--metrics-host", paramLabel = "HOST",
      description = "The address --metrics-port listens on (default: ${DEFAULT-VALUE}, this machine only); "
          + "another exposes the usage and budgets to whoever can reach it.", defaultValue = DEFAULT_HOST)
  String host;

  /**
   * Starts the endpoint if {@code --metrics-port} was given, as a resource of the application (opened
   * before the ingest run, so closed after it) whose meters receive the ingestor's batches.
   *
   * @return false if the address could not be bound (the error is printed on {@code err})
   * @throws ParameterException for a port out of range, a host that does not resolve, or either
   *     option without {@code --follow}
   */
  boolean attach(Application application, Ingestor.Builder builder, boolean follow, CommandLine commandLine,
      PrintStream err) {
    boolean hostGiven = commandLine.getParseResult().hasMatchedOption("--metrics-host");
    if (port == null) {
      if (hostGiven) {
        throw new ParameterException(commandLine, "--metrics-host applies to --metrics-port, which is not given");
      }
      return true;
    }
    if (!follow) {
      throw new ParameterException(commandLine, "--metrics-port serves metrics while following: add --follow");
    }
    if (port < 0 || port > 65_535) {
      throw new ParameterException(commandLine, "--metrics-port must be between 0 and 65535, got " + port);
    }
    InetSocketAddress address;
    try {
      address = new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new ParameterException(commandLine, "--metrics-host " + host + ": no such host");
    }
    MetricsEndpoint endpoint;
    try {
      endpoint = MetricsEndpoint.start(application.tracker(), address);
    } catch (IOException e) { // BindException: in use, or not an address of this machine
      err.println("tokenwatch: --metrics-port " + port + ": cannot listen on " + host + ":" + port + " ("
          + e.getMessage() + "); choose another port, or 0 for any free one");
      return false;
    }
    application.register("the metrics endpoint", endpoint);
    builder.onTracked(endpoint.metrics()::recordAll);
    InetSocketAddress bound = endpoint.address();
    err.println("tokenwatch: metrics at http://" + hostForUrl(bound) + ":" + bound.getPort() + MetricsEndpoint.PATH);
    return true;
  }

  private static String hostForUrl(InetSocketAddress address) {
    String literal = address.getAddress().getHostAddress();
    return literal.contains(":") ? "[" + literal + "]" : literal;
  }
}
