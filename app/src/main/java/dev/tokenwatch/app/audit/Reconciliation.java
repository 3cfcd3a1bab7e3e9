package dev.tokenwatch.app.audit;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.port.UsageStore;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings the audit trail level with the store after processes died while tracking: each operation
 * left open in a dead process's {@link PendingOps} file is resolved against the store, the source of
 * truth. If the trail has a line naming the operation, nothing is missing. Otherwise each of its events
 * that the store holds and the trail does not (exactly that event: for a request id, the store's
 * record of the id is this event; without one, the store holds more such events than the trail
 * names) goes into one {@code recovered} line for the operation; the others count as {@code
 * notRecorded}. Then the dead file is deleted. All of it under the trail's lock, so no writer appends
 * meanwhile and two processes never resolve the same operation (a second finds the first's line).
 * An operation that shares an event with one still open in a live process waits for a later open.
 *
 * <p>With no dead process's file (the normal case) this lists one directory and reads nothing else.
 */
final class Reconciliation {

  /** What a run did: operations resolved, events recovered, events of them not recorded. */
  record Outcome(int operations, int recovered, int notRecorded) {
    static final Outcome NONE = new Outcome(0, 0, 0);
  }

  /** An open operation of a pending file: its trail id and events. */
  private record Op(String id, List<TokenUsageEvent> events) {}

  private Reconciliation() {}

  static Outcome run(AuditFile trail, Path pendingDirectory, UsageStore store, Instant now) throws IOException {
    if (pendingFiles(pendingDirectory, false).isEmpty()) {
      return Outcome.NONE;
    }
    return trail.locked(append -> resolve(trail, pendingDirectory, store, now, append));
  }

  private static Outcome resolve(AuditFile trail, Path pendingDirectory, UsageStore store, Instant now,
      AuditFile.Appender append) throws IOException {
    Map<Path, List<Op>> dead = new LinkedHashMap<>();
    for (Path file : pendingFiles(pendingDirectory, false)) {
      dead.put(file, openOps(file));
    }
    Set<TokenUsageEvent> wanted = new HashSet<>();
    dead.values().forEach(ops -> ops.forEach(op -> wanted.addAll(op.events())));
    if (wanted.isEmpty()) {
      deleteAll(dead.keySet());
      return Outcome.NONE;
    }
    Set<String> recordedOps = new HashSet<>();
    Map<TokenUsageEvent, Integer> named = new HashMap<>();
    for (Path file : trail.files()) {
      AuditLines.forEach(file, line -> {
        if (line.hasNonNull("op")) {
          recordedOps.add(line.get("op").asText());
        }
        for (TokenUsageEvent event : AuditLines.events(line)) {
          if (wanted.contains(event)) {
            named.merge(event, 1, Integer::sum);
          }
        }
      });
    }
    StoreSide held = StoreSide.read(store, wanted);
    // read after the store: a live operation whose commit the store showed cannot have ended yet
    // (its record needs the lock held here), so it is still in its file
    Set<Object> live = new HashSet<>();
    for (Path file : pendingFiles(pendingDirectory, true)) {
      openOps(file).forEach(op -> op.events().forEach(e -> live.add(key(e))));
    }
    int operations = 0;
    int recovered = 0;
    int notRecorded = 0;
    List<Path> resolved = new ArrayList<>();
    for (Map.Entry<Path, List<Op>> file : dead.entrySet()) {
      if (file.getValue().stream().anyMatch(op -> op.events().stream().anyMatch(e -> live.contains(key(e))))) {
        continue; // a live process tracks the same event now: its record decides, at a later open
      }
      for (Op op : file.getValue()) {
        if (recordedOps.contains(op.id())) {
          continue;
        }
        List<TokenUsageEvent> found = new ArrayList<>();
        for (TokenUsageEvent event : op.events()) {
          if (held.count(event) > named.getOrDefault(event, 0)) {
            found.add(event);
            named.merge(event, 1, Integer::sum);
          }
        }
        append.append(AuditJson.recovered(now, op.id(), found, op.events().size() - found.size()));
        operations++;
        recovered += found.size();
        notRecorded += op.events().size() - found.size();
      }
      resolved.add(file.getKey());
    }
    deleteAll(resolved);
    return new Outcome(operations, recovered, notRecorded);
  }

  /** An event's identity in the ledger: its request id, or for an event without one the event itself. */
  private static Object key(TokenUsageEvent event) {
    return event.requestId() != null ? event.requestId() : event;
  }

  /** The store's side of the wanted events: how many of each it holds. */
  private record StoreSide(Map<String, TokenUsageEvent> byId, Map<TokenUsageEvent, Integer> withoutId) {

    /** A request id's event counts once if the store's record of the id is exactly it. */
    int count(TokenUsageEvent event) {
      if (event.requestId() != null) {
        return event.equals(byId.get(event.requestId())) ? 1 : 0;
      }
      return withoutId.getOrDefault(event, 0);
    }

    /** Reads the store's events stamped from the earliest wanted one on, keeping those wanted. */
    static StoreSide read(UsageStore store, Set<TokenUsageEvent> wanted) {
      Instant from = wanted.stream().map(TokenUsageEvent::timestamp).min(Instant::compareTo).orElseThrow();
      Set<String> ids = new HashSet<>();
      wanted.forEach(e -> {
        if (e.requestId() != null) {
          ids.add(e.requestId());
        }
      });
      Map<String, TokenUsageEvent> byId = new HashMap<>();
      Map<TokenUsageEvent, Integer> withoutId = new HashMap<>();
      for (TokenUsageEvent event : since(store, from)) {
        if (event.requestId() != null) {
          if (ids.contains(event.requestId())) {
            byId.put(event.requestId(), event);
          }
        } else if (wanted.contains(event)) {
          withoutId.merge(event, 1, Integer::sum);
        }
      }
      return new StoreSide(byId, withoutId);
    }

    /**
     * Every event stamped at or after {@code from}: the latest {@code n} by {@code history}, with
     * {@code n} from a count, raised until the oldest returned is earlier than {@code from} or the
     * store has no more (events recorded between the count and the read push some out).
     */
    private static List<TokenUsageEvent> since(UsageStore store, Instant from) {
      long count = store.query(UsageQuery.all().between(from, null)).total().calls();
      int limit = (int) Math.min(Integer.MAX_VALUE, count + 1);
      while (true) {
        List<TokenUsageEvent> latest = store.history(UsageFilter.ANY, limit);
        if (latest.size() < limit || latest.get(0).timestamp().isBefore(from) || limit == Integer.MAX_VALUE) {
          return latest;
        }
        limit = (int) Math.min(Integer.MAX_VALUE, limit * 2L);
      }
    }
  }

  /** The open operations of a pending file: begun, and neither ended nor cut short by the crash. */
  private static List<Op> openOps(Path file) throws IOException {
    String stem = file.getFileName().toString();
    stem = stem.substring(0, stem.length() - PendingOps.SUFFIX.length());
    Map<Long, Op> open = new LinkedHashMap<>();
    String prefix = stem + "/";
    AuditLines.forEach(file, line -> {
      if (line.has("done")) {
        open.remove(line.get("done").asLong());
      } else if (line.has("op")) {
        long op = line.get("op").asLong();
        open.put(op, new Op(prefix + op, AuditLines.events(line)));
      }
    });
    return new ArrayList<>(open.values());
  }

  /** The pending files of live processes, or of dead ones. */
  private static List<Path> pendingFiles(Path directory, boolean live) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + PendingOps.SUFFIX)) {
      for (Path file : entries) {
        if (PendingOps.writerAlive(file.getFileName().toString()) == live) {
          files.add(file);
        }
      }
    } catch (NoSuchFileException none) {
      // no process has tracked with this trail yet
    }
    return files;
  }

  private static void deleteAll(Iterable<Path> files) throws IOException {
    for (Path file : files) {
      Files.deleteIfExists(file);
    }
  }
}
