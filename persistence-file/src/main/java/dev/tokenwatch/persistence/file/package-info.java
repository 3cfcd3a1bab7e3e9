/**
 * A durable, multi-process-safe {@link dev.tokenwatch.domain.port.UsageStore} in a local directory:
 * {@link dev.tokenwatch.persistence.file.FileUsageStore}.
 *
 * <h2>Files</h2>
 *
 * <ul>
 *   <li>{@code snapshot.json}: the whole state (per budget: totals per period and model, claimed
 *       thresholds, the recent history) as of the start of journal generation G, with
 *       {@code "format"} as its first field and {@code "generation": G}; format 2 since the
 *       de-duplication entries moved to their own file (format 1 held them inline; it is still read,
 *       and rewritten as format 2 when the store opens it).
 *   <li>{@code dedup-G.bin}: the de-duplication entries of snapshot G (request key and the counted
 *       parts of the event, 56 bytes each), per budget a section sorted by key, followed by an index
 *       of every 64th key and a Bloom filter (10 bits per key). Layout in {@code DedupFile}. A lookup
 *       probes the filter in memory and, if the key may be there, reads one 64-record block at its
 *       position; index and filter are read on a budget's first lookup. So memory does not grow with
 *       the number of request ids: it holds only the entries recorded since the snapshot (at most
 *       100,000 by default, see compaction), about 130 bytes each, plus about 1.4 bytes per key
 *       on disk for index and filter.
 *   <li>{@code journal-G.log}: the operations since that snapshot, one line each:
 *       {@code <CRC32C of the JSON, 8 hex digits> <JSON object>\n}. The first line is a header
 *       {@code {"format":1,"kind":"tokenwatch-journal","generation":G}}. Operations are
 *       {@code record} (the events that changed something; duplicates are not written), {@code claim}
 *       (a won threshold), {@code reset}, and, last of all, {@code seal} (see compaction).
 *   <li>{@code tokenwatch.lock}: empty; the OS lock is taken on it.
 * </ul>
 *
 * The directory is created {@code rwx------} and every file {@code rw-------} where the file
 * system supports POSIX permissions; an existing directory open to others draws a warning.
 *
 * <h2>Durability</h2>
 *
 * A write operation appends its line at the end of the last valid record and calls
 * {@code FileChannel.force(false)} (fdatasync, which includes the file size) before it returns, so a
 * returned call survives a process kill or power cut. A crash mid-append leaves at most one
 * incomplete last line; on reading, a last line that has no line end or whose checksum does not
 * match is that torn write: it is dropped with a WARN and cut off (under the lock) before the next
 * append. It was never acknowledged, because acknowledgement follows the force. Any other unreadable
 * line, i.e. one followed by more lines, or one whose checksum matches but whose content is
 * invalid, is damage tokenwatch did not cause: the store refuses to open with a
 * {@link dev.tokenwatch.persistence.file.StoreFileException} naming the file and byte offset, and
 * writes nothing. The same applies to an empty or malformed snapshot and to a format version newer
 * than this code: refused, never overwritten. (A damaged checksum on the very last line cannot be
 * told from a torn write; it is dropped like one, as write-ahead logs generally do.)
 *
 * <p>Replaying is deterministic: a {@code record} line holds the effective events and the history
 * size, and applying it to the state before it gives exactly the state the writer had after it.
 * Operations mutate nothing when they have nothing to write (a batch of duplicates), so live and
 * replayed state never drift apart.
 *
 * <h2>Compaction</h2>
 *
 * When the journal exceeds a threshold (8 MiB by default, or the size of snapshot plus
 * de-duplication file if that is larger, which keeps compaction's cost proportional to what was
 * written), or when 100,000 request ids were recorded since the snapshot (which bounds the entries
 * held in memory), the writer, holding the lock and caught up, (1) appends and forces a
 * {@code seal} record naming generation G+1; (2) writes {@code dedup-(G+1).bin}: a streaming merge
 * of {@code dedup-G.bin} (its checksum verified on the way, so damage is refused, not copied
 * forward) with the entries recorded since, which win, minus those of periods reset since; to
 * {@code .tmp}, forced, renamed with {@code ATOMIC_MOVE}, directory forced; (3) writes the snapshot
 * of G+1 the same way, naming that file and its size; (4) creates {@code journal-(G+1).log} the
 * same way (header only); (5) loads generation G+1 (which leaves no de-duplication entry in memory)
 * and deletes the journals and de-duplication files of older generations. The invariant is: the
 * state at a journal's seal equals the next snapshot and its file. A crash after (1) or (2) is
 * finished by whoever next reaches the seal (its state is exactly what is to be written; a
 * {@code dedup-(G+1).bin} already there is simply rewritten); after (3), the missing journal is
 * created; after (4), the old files are ignored and deleted at the next compaction. Directory size
 * is therefore bounded by the state plus one journal. The state itself: history keeps the configured
 * number of events, totals are one row per model per period (kept forever, so reports over months
 * work), and the de-duplication file keeps 56 bytes plus about 1.4 bytes of index and filter per
 * request id; it grows with the number of distinct ids, as the port's contract requires
 * de-duplication across every period kept, but on disk, not in memory.
 *
 * <p>The cap on entries in memory means a store with many millions of ids rewrites its
 * de-duplication file every 100,000 new ids: merge cost grows with the file, about 5.6 MB per
 * 100,000 ids. Below a few million ids that is small next to the journal's own writing; far beyond
 * it, a tiered layout (several sorted files merged by size, as LSM trees do) would be the next
 * step. {@code FileUsageStore.Builder#compactAfterIds} trades memory for that writing.
 *
 * <h2>Several processes</h2>
 *
 * Every operation, reads included, takes the in-process lock and then the OS lock
 * ({@code FileChannel.lock()} on {@code tokenwatch.lock}; one channel per directory per JVM, since
 * POSIX locks belong to the process). Holding both, it catches up: it reads the journal from its
 * last position to the end and applies what other processes appended. If that ends in a seal,
 * another process compacted: the state in memory now equals the new snapshot, so it continues with
 * the next generation: it loads the new snapshot (small: the de-duplication entries are in the
 * generation's file, of which it reads only the index and filter, and only on its first lookup)
 * and the new journal, dropping the entries it held in memory. (A file a process still has open
 * stays readable after another process deleted it, on POSIX; every file is opened under the lock.)
 * Only then does it apply its operations, append, force and unlock. Each operation is thus a
 * serialised read-modify-write over the whole directory, so no update is lost, and a threshold
 * claim, itself a journal record, succeeds for exactly one caller across all processes.
 *
 * <p>Network file systems: correctness rests on {@code fcntl} byte-range locks being honoured by
 * every client and on {@code fsync} and rename reaching the server. NFSv4 (and NFSv3 with a working
 * {@code lockd}) provide both, and close-to-open plus lock-time revalidation makes a lock holder see
 * the other clients' appends. Without a lock manager ({@code nolock} mounts), or on file systems that
 * silently grant every lock (some FUSE/SMB setups), two machines can interleave appends and lose or
 * double-count updates. Keep the directory on a local disk, or use the JDBC store for sharing across
 * machines.
 *
 * <h2>Group commit</h2>
 *
 * A caller encodes its {@code record} line (JSON and checksum) in its own thread, queues the
 * operation and, if the in-process lock is free, leads: it drains the whole queue, applies every
 * operation to the state, appends all their lines with one write and forces once. (The line was
 * encoded before the state was known; if some events turn out to be duplicates, the leader
 * re-encodes only the effective ones, so the journal is the same as if it had encoded them itself.)
 * A caller that finds the lock taken parks. After releasing the lock, the leader wakes the caller
 * at the head of the queue, which leads the next group, and then the callers whose operations it
 * wrote; followers do not queue on the lock one after another just to find their work done.
 *
 * <p>With n writers that alone would give about n/2 operations per force: the callers of one
 * group return and queue again while the next group, which started at once, is being forced. So
 * a leader that follows a group of n operations first waits, holding the lock, until n are
 * queued, but at most half as long as the last force took (and at most 1 ms): the commit delay
 * databases use. A lone writer never waits; the delay adds latency only when it saves forces.
 *
 * <p>A {@code record} of a batch is one line and one force. A caller's pending interrupt does not
 * abort its write (a {@code FileChannel} used by an interrupted thread closes itself): it is cleared
 * while the store works and restored before the call returns. An interrupt that arrives during the
 * file I/O itself can still close a channel and fail the call; do not interrupt threads inside it.
 */
package dev.tokenwatch.persistence.file;
