/**
 * A durable, multi-process-safe {@link dev.tokenwatch.domain.port.UsageStore} in a local directory:
 * {@link dev.tokenwatch.persistence.file.FileUsageStore}, the usage ledger on disk.
 *
 * <h2>Files</h2>
 *
 * A generation G of the store is four files; the manifest names the other three:
 *
 * <ul>
 *   <li>{@code manifest}: the commit point. One line, {@code <CRC32C, 8 hex digits> <JSON>}: format
 *       4, a random store id, G, the next sequence number, the retention cutoff, the size, footer
 *       checksum and count of the events file and of the id index, the name of G's journal, and the
 *       budget windows' kept totals (9 counts: tokens, calls, cost, unpriced calls and tokens) with
 *       their scope, and claimed thresholds (small: one entry per budget period used). Replaced
 *       atomically at each compaction.
 *   <li>{@code events-G.dat}: every live event of the ledger as of G, with all its dimensions and its cost, in
 *       the order recorded, in checksummed blocks of about 16 KiB; a footer lists each block's
 *       offset, sequence range, time span and CRC ({@code EventsFile}).
 *   <li>{@code ids-G.dat}: the request ids of those events as 128-bit keys (SHA-256), sorted, in
 *       checksummed blocks of 64 entries, with a Bloom filter; each entry names the counting event
 *       and its total and timestamp ({@code IdIndex}).
 *   <li>{@code journal-G.log}: the operations since G's files were written, each framed as length,
 *       CRC32C, payload: events recorded (with the totals after the call of the named windows and of
 *       the other kept windows it changed; a window's key, period and scope once per journal, then
 *       its number), claims (with the alert each queued in the outbox), resets, retention cutoffs,
 *       reservations made and ended, outbox entries taken, delivered, retried and given up, and last
 *       a seal ({@code JournalRecord}, {@code OutboxRecords}). Its header repeats G and the store id.
 *   <li>{@code tokenwatch.lock}: empty; the OS lock is taken on it.
 * </ul>
 *
 * The directory is created {@code rwx------} and every file {@code rw-------} where the file
 * system supports POSIX permissions; an existing directory open to others draws a warning.
 *
 * <h2>Damage</h2>
 *
 * Opening checks the manifest's checksum, that every file it names exists with the recorded size,
 * footer checksum and header (generation, store id), and replays the journal, whose every record
 * carries a checksum. Each block of the events file and of the id index is checked against its CRC
 * whenever it is read (every query reads the blocks of its time range; every compaction reads them
 * all, so damage is never copied into the next generation). Anything missing or not matching raises
 * {@link dev.tokenwatch.persistence.file.StoreFileException} naming the file and offset, and nothing
 * is written. The one exception is a torn last journal record (a frame whose payload is cut, or
 * zeros), which is what a crash mid-append leaves and was never acknowledged: it is dropped with a
 * warning and cut off before the next append. A complete record whose checksum fails is damage (a
 * process writes a frame whole or dies before it returns). What no checksum can see: a journal cut
 * exactly at a record boundary looks like a journal with fewer records (a witness of its length
 * would cost a second force per write).
 *
 * <p>A store of the format before the cost (manifest format 3, events file and journal version 1)
 * is read, its events and totals as unpriced, and rewritten in the current format by a compaction
 * right after it is opened, before anything is appended ({@code LedgerFiles}): the migration is as
 * crash-safe as every compaction, and only a store that was read whole is rewritten.
 *
 * <p>A directory holding the files of the format before the ledger ({@code snapshot.json},
 * {@code dedup-G.bin}) is refused before anything is created in it, with the way to carry its usage
 * over ({@code tokenwatch history --json} with the old version, then {@code ingest --format
 * tokenwatch}).
 *
 * <h2>Durability</h2>
 *
 * A write appends its record at the end of the last valid one and calls {@code
 * FileChannel.force(false)} (fdatasync, which includes the file size) before it returns. Replaying is
 * deterministic: a recorded event is decided again ({@code RequestRule}) against the same state and
 * must change the ledger as it did live (else the journal is refused), and the windows' totals are
 * taken from the record, so no replay scans the ledger. Reservation records alone are not forced
 * (see Reservations).
 *
 * <h2>Compaction</h2>
 *
 * When the events recorded since the generation reach 50,000 ({@code compactAfterEvents}; they are
 * held in memory) or the journal 8 MiB, the writer, holding the lock and caught up: (1) appends and
 * forces a seal naming G+1; (2) writes {@code events-(G+1).dat} (the live events of G's file,
 * copied block by block and checked, then those since), {@code ids-(G+1).dat} (a streaming merge of
 * G's index, minus dead entries, with the recent ids sorted) and {@code journal-(G+1).log} holding
 * only the open reservations and the outbox's entries,
 * each to {@code .tmp}, forced, renamed, directory forced; (3) replaces the manifest the same way;
 * (4) loads G+1 and deletes every generation file the manifest does not name. Events replaced,
 * reset or before the retention cutoff are dropped in (2). A crash after (1) or (2) is finished by
 * whoever next reaches the seal (the state replayed up to it is exactly what was to be written);
 * after (3), (4) of the next compaction removes what is left. Blocks that cannot hold a dead event
 * are copied whole (checked, not decoded). Cost: each compaction rewrites the
 * events file and the index, about 140 + 50 bytes per event, i.e. the ledger's size every 50,000
 * events.
 *
 * <h2>Queries</h2>
 *
 * A query streams the blocks of its time range through {@code UsageAggregator} (one block in memory
 * at a time; blocks outside the range are skipped by their time span), then the recent events,
 * skipping dead ones. Memory is the aggregator's groups, not the events. {@code history} keeps only
 * the stamps of the latest {@code limit} events while scanning and reads those events at the end.
 * The current period's window totals are kept in memory, changed in the same step as the events and
 * journaled with them, so {@code record} returns them without a scan; a window not kept is summed
 * from the ledger once, and kept from then on. Each record charges every kept window, named or not
 * (kept, say, by a process with other budgets), whose period and scope take an event, and takes a
 * replaced record out of every kept window that counted it; it looks only at the kept windows ending
 * after its earliest event or replaced record (an index by end), so past periods cost nothing.
 *
 * <h2>Several processes</h2>
 *
 * Every operation takes the in-process lock and then the OS lock ({@code FileChannel.lock()} on
 * {@code tokenwatch.lock}; one channel per directory per JVM, since POSIX locks belong to the
 * process), and catches up: it applies the records other processes appended since its position,
 * following a seal into the next generation. A write then applies, appends, forces and unlocks; a
 * read releases the OS lock once caught up and answers from immutable files and memory (files a
 * process has open stay readable after another one deleted them, on POSIX). Each write is thus a
 * serialised read-modify-write over the whole directory, so no update is lost, and a threshold
 * claim, itself a journal record, succeeds for exactly one caller across all processes. Network file
 * systems: safe only with working {@code fcntl} locks (NFSv4, or v3 with {@code lockd}), never with
 * {@code nolock}.
 *
 * <h2>Group commit</h2>
 *
 * A caller hashes its request ids in its own thread and queues its operation; if the in-process lock
 * is free it leads: applies every queued operation, writes their records with one write and forces
 * once ({@code GroupCommit}, which also holds the commit delay that lets a steady set of writers
 * share one force). A batch is one record and one force; a batch of duplicates writes nothing.
 *
 * <h2>Reservations</h2>
 *
 * Journal records, replayed by every process into a {@code ReservationBook} ({@code Reservations}):
 * {@code reserve} is decided under the directory lock against the caught-up state (kept totals of
 * each held window plus the open reservations) and appends a {@code Reserved} record in the same
 * step; {@code release} appends {@code Settled}; {@code commit} appends the {@code Recorded} record
 * of its events and {@code Settled} in one write and one force. Every process catches up before
 * each operation, so a reservation is visible to all at once. Reserve and release are not forced:
 * a reservation matters only while the process that made it lives, and a crash of the machine ends
 * those; a later forced append (of any process) forces them too, and one lost in a crash was never
 * committed, so nothing acknowledged as usage is lost. Expiry is by each caller's {@code now}, not
 * journaled; compaction carries the open reservations (not expired at the latest {@code now} the
 * compacting process saw) into the next journal as {@code Reserved} records, so settled and expired
 * ones do not accumulate.
 *
 * <h2>Alert outbox</h2>
 *
 * Journal records too, replayed by every process into the domain's {@code OutboxBook} ({@code
 * Outbox}): a won claim and the entries of its alert (one per sink) are one {@code Claimed} record,
 * so one append and one force; {@code takeDue}, {@code delivered}, {@code retryAt} and {@code giveUp}
 * are each decided under the directory lock against the caught-up book and journaled ({@code Taken},
 * {@code Delivered}, {@code Retried}, {@code GaveUp}) and forced in the same step, so a take by one
 * process holds its entries against every other until its lease ends. Compaction carries every entry
 * left (given-up ones too) as a {@code Pending} record into the next journal; delivered ones end
 * with the old journal. The compaction threshold does not count the carried entries, which no
 * compaction can shrink.
 */
package dev.tokenwatch.persistence.file;
