using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading;
using AnomalyTools.Checkpoints;
using AnomalyTools.Platform;
using AnomalyTools.Sinks.Formats;

namespace AnomalyTools.Sinks.PartFiles
{
    /// <summary>
    /// Writes transactions durably into part files, as Flink's FileSink does. A part is written as the hidden
    /// <c>.part-0-00000.inprogress</c>; when it rolls (by size, by age, by inactivity, or on <see cref="Commit"/>
    /// and <see cref="Close"/>) it is flushed, synced to disk and atomically renamed to <c>part-0-00000</c>, so a
    /// reader never sees a half-written finished part. Numbering continues after the parts already in the folder (and
    /// anything else named like one), so a finished part is never overwritten. A timer rolls a part on time even while
    /// no record arrives. <see cref="Dispose"/> without <see cref="Close"/> commits nothing: the part in progress stays
    /// in progress, as after a crash.
    /// Thread-safe: the timer, or a stop on another thread, may commit while a record is written.
    /// <para>
    /// With each part it commits, the sink records in its <see cref="ICheckpointStore"/> (by default the folder's own,
    /// <see cref="FolderCheckpointStore"/>) how far the part covers the inputs its records were read from
    /// (<see cref="Transaction.Position"/>: for a file, the file its reader read, whatever the path names by the time the
    /// part commits; for a partition, its offset), so that a restarted pipeline can resume after what was committed. A
    /// part commits in four phases: <c>PrepareCommit</c> (flush and sync the part, compute the positions),
    /// <c>WritePendingCheckpoint</c>, <c>PublishPart</c> (the atomic rename and the folder's sync: the moment of commit)
    /// and <c>CompleteCheckpoint</c>. Timing (roll by age and inactivity, processing-time buckets) reads
    /// <see cref="PartFileSinkOptions.TimeProvider"/>. An in-progress part that a crash left behind is rolled back: its number is recorded as used in the
    /// journal, then it is deleted, since its records were never committed and a resumed run produces them again. Only
    /// one part is open at a time, so that everything before a committed record is committed too; with
    /// <see cref="PartFileSinkOptions.BucketBy"/>, a record for another time bucket than the open part's rolls it.
    /// </para>
    /// </summary>
    public sealed class PartFileSink : IDisposable, IPositionsCommitted
    {
        private readonly object _gate = new object();
        private readonly PartFileSinkOptions _options;
        private readonly RecordFormatter _formatter;
        private readonly StringBuilder _text = new StringBuilder();
        private readonly List<string> _committedParts = new List<string>();
        private readonly List<string> _abandonedParts = new List<string>();
        private readonly Dictionary<string, SourcePosition> _committedPositions = new Dictionary<string, SourcePosition>(SourcePosition.InputKeyComparer);
        // The position of the last record of the open part from each input: a file's line with the fingerprint of the file
        // it was read from, a partition's offset.
        private readonly Dictionary<string, SourcePosition> _partPositions = new Dictionary<string, SourcePosition>(SourcePosition.InputKeyComparer);
        private readonly ICheckpointStore _checkpoints;
        private readonly TimeProvider _time;
        private readonly ITimer _rollTimer;
        private readonly OutputLock _lock;
        private char[] _chars = new char[1024];
        private byte[] _bytes = new byte[4096];
        private long _nextCounter;
        private FileStream? _part;
        private string? _partPath;
        private string _partBucket = string.Empty;
        private long _bucketSecond = long.MinValue;
        private string _bucket = string.Empty;
        private long _partCounter;
        private long _partRecords;
        private Transaction? _firstOfPart;
        private long _partOpenedAt;
        private long _lastWriteAt;
        // Once a write, commit or roll failed, the sink takes nothing more: a part committed after records that were lost
        // would carry a checkpoint past them.
        private ExceptionDispatchInfo? _failure;
        private bool _disposed;

        /// <summary>
        /// Opens the output folder, creating it when missing: finishes or rolls back what a crash interrupted, removes a
        /// success marker (the folder is being written again) and finds where numbering continues.
        /// </summary>
        /// <exception cref="ArgumentException"><see cref="PartFileSinkOptions.BucketFormat"/> does not make a usable folder name.</exception>
        /// <exception cref="OutputInUseException">Another sink writes into the folder with the same subtask.</exception>
        /// <exception cref="InvalidDataException">The folder's checkpoint is damaged.</exception>
        /// <exception cref="IOException">The folder cannot be created or read.</exception>
        /// <exception cref="UnauthorizedAccessException">The folder cannot be created or read with the caller's permissions.</exception>
        public PartFileSink(PartFileSinkOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            if (options.BucketBy != BucketBy.None && !BucketNames.IsValid(options.BucketFormat))
            {
                throw new ArgumentException(string.Format(CultureInfo.CurrentCulture, ErrorMessages.InvalidBucketFormat, options.BucketFormat), nameof(options));
            }
            _formatter = RecordFormatter.Create(options.Format, options.NeutralizeFormulas);
            _checkpoints = options.CheckpointStore ?? new FolderCheckpointStore(options.Directory, options.Subtask);
            _time = options.TimeProvider;
            Directory.CreateDirectory(options.Directory);
            _lock = OutputLock.Acquire(options.Directory, options.Subtask);
            try
            {
                Recover();
            }
            catch
            {
                _lock.Dispose();
                throw;
            }
            _rollTimer = _time.CreateTimer(_ => RollOnTime(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        // Removes a success marker (the folder is being written again), finishes or rolls back what a crash interrupted,
        // and finds where numbering continues. A commit cut between its phases is settled by the store: a pending
        // checkpoint whose part was published is completed (CompleteCheckpoint, redone), one whose part was not is dropped
        // (the commit, undone), and the part still in progress is rolled back below (PrepareCommit, undone).
        private void Recover()
        {
            var options = _options;
            File.Delete(Path.Combine(options.Directory, SuccessMarkerName));
            var checkpoint = _checkpoints.Recover();
            if (checkpoint != null)
            {
                foreach (var input in checkpoint.Inputs) _committedPositions[input.InputKey] = input;
                if (PartFileNames.TryParse(checkpoint.Part.Substring(checkpoint.Part.LastIndexOf('/') + 1), out _, out var counter, out _))
                {
                    _nextCounter = counter + 1;
                }
            }
            _nextCounter = Math.Max(_nextCounter, _checkpoints.ReadNextPart());
            // Folders too: a folder named like a part takes its name as surely as a file does.
            foreach (var path in PartFolders().SelectMany(Directory.EnumerateFileSystemEntries))
            {
                if (!PartFileNames.TryParse(Path.GetFileName(path), out var subtask, out var counter, out var inProgress)
                    || subtask != options.Subtask)
                {
                    continue;
                }
                _nextCounter = Math.Max(_nextCounter, counter + 1);
                if (inProgress && File.Exists(path)) _abandonedParts.Add(path);
            }
            if (_abandonedParts.Count == 0) return;
            _abandonedParts.Sort(StringComparer.Ordinal);
            // Once a rolled-back part is gone, nothing else in the folder may remember its number: the journal does, first.
            _checkpoints.RecordNextPart(_nextCounter);
            foreach (var abandoned in _abandonedParts) File.Delete(abandoned);
        }

        /// <summary>The name of the marker that <see cref="Complete"/> writes into the output folder.</summary>
        public const string SuccessMarkerName = "_SUCCESS";

        /// <summary>
        /// The in-progress parts of this subtask that an earlier run left behind (a crash), now deleted: their records
        /// were never committed.
        /// </summary>
        public IReadOnlyList<string> AbandonedParts => _abandonedParts;

        /// <summary>
        /// Raised once a part and its checkpoint are committed, with how far the output now covers every input. Raised on
        /// the thread that committed (the writer's, or the roll timer's), under the sink's lock.
        /// </summary>
        public event Action<IReadOnlyList<SourcePosition>>? PositionsCommitted;

        /// <summary>The parts this sink has committed, in order.</summary>
        public IReadOnlyList<string> CommittedParts
        {
            get
            {
                lock (_gate) return _committedParts.ToArray();
            }
        }

        /// <summary>Writes a record into the part in progress, opening one or rolling by size as needed.</summary>
        /// <exception cref="IOException">
        /// The part cannot be written, or a roll on time failed: the part is left in progress and never committed.
        /// </exception>
        public void Write(Transaction record)
        {
            if (record is null) throw new ArgumentNullException(nameof(record));
            lock (_gate)
            {
                if (_disposed) throw new ObjectDisposedException(nameof(PartFileSink));
                ThrowIfFailed();
                var bucket = BucketOf(record);
                if (_part != null && (_formatter.NeedsNewPart(_firstOfPart!, record) || !string.Equals(bucket, _partBucket, StringComparison.Ordinal))) CommitPart();

                _text.Clear();
                _formatter.AppendRecord(_text, record);
                var length = Encode(_text);
                if (_part != null && _partRecords > 0 && _part.Position + length > _options.MaxPartSize) CommitPart();
                if (_part is null) OpenPart(record, bucket);

                var bytes = _bytes;
                Guarded(ErrorMessages.PartWriteFailed, () => _part!.Write(bytes, 0, length));
                _partRecords++;
                var position = record.Position;
                if (position != null) _partPositions[position.InputKey] = position;
                _lastWriteAt = _time.GetTimestamp();
            }
        }

        /// <summary>Commits the part in progress, if any. The next record opens a new part.</summary>
        /// <exception cref="IOException">The part cannot be committed, or a roll on time failed.</exception>
        public void Commit()
        {
            lock (_gate)
            {
                ThrowIfFailed();
                if (_part != null) CommitPart();
            }
        }

        /// <summary>
        /// Ends a run that read all its input: commits the part in progress and writes the empty <c>_SUCCESS</c> marker
        /// into the output folder, for downstream jobs that wait for a finished folder. The sink is closed, even when this fails.
        /// </summary>
        /// <exception cref="IOException">The part or the marker cannot be written, or an earlier write, commit or roll failed.</exception>
        public void Complete()
        {
            lock (_gate)
            {
                if (_disposed) throw new ObjectDisposedException(nameof(PartFileSink));
                try
                {
                    ThrowIfFailed();
                    if (_part != null) CommitPart();
                    // Before the lock is let go: a run that starts next removes the marker, and must find it to do so.
                    var marker = Path.Combine(_options.Directory, SuccessMarkerName);
                    Step(ErrorMessages.SuccessMarkerFailed, marker, () =>
                    {
                        using (new FileStream(marker, FileMode.Create, FileAccess.Write, FileShare.None))
                        {
                        }
                    });
                    DirectorySync.Sync(_options.Directory);
                }
                finally
                {
                    Release();
                }
            }
        }

        /// <summary>
        /// Commits the part in progress and closes the sink: how a run that ends, or is stopped, keeps what it wrote. The
        /// sink is closed, even when this fails.
        /// </summary>
        /// <exception cref="IOException">The part cannot be committed, or an earlier write, commit or roll failed.</exception>
        public void Close()
        {
            lock (_gate)
            {
                if (_disposed) throw new ObjectDisposedException(nameof(PartFileSink));
                try
                {
                    ThrowIfFailed();
                    if (_part != null) CommitPart();
                }
                finally
                {
                    Release();
                }
            }
        }

        /// <summary>
        /// Closes the sink without committing: a part in progress stays in progress, as after a crash, and the next sink
        /// into the folder rolls it back. Never throws, so that it hides no exception of the code that disposes it; call
        /// <see cref="Close"/> to commit.
        /// </summary>
        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed) return;
                Release();
            }
        }

        private void Release()
        {
            _disposed = true;
            _rollTimer.Dispose();
            var part = _part;
            _part = null;
            try
            {
                part?.Dispose();
            }
            catch (IOException)
            {
                // The part is left in progress either way, and rolled back by the next sink into the folder.
            }
            _lock.Dispose();
        }

        private void RollOnTime()
        {
            lock (_gate)
            {
                if (_disposed || _part is null || _failure != null) return;
                var now = _time.GetTimestamp();
                var due = Math.Min(_partOpenedAt + Ticks(_options.RolloverInterval), _lastWriteAt + Ticks(_options.InactivityInterval));
                if (now < due)
                {
                    ScheduleRoll(due - now);
                    return;
                }
                try
                {
                    CommitPart();
                }
                catch (Exception exception)
                {
                    // No caller to tell on the timer's thread: the next write, commit or close throws it.
                    _failure = ExceptionDispatchInfo.Capture(exception);
                }
            }
        }

        private void ScheduleRoll(long ticks)
        {
            var milliseconds = Math.Min(Math.Ceiling(ticks * 1000.0 / _time.TimestampFrequency), uint.MaxValue - 2.0);
            _rollTimer.Change(TimeSpan.FromMilliseconds(milliseconds), Timeout.InfiniteTimeSpan);
        }

        // An interval in the time provider's ticks; intervals too long to matter become a far future that cannot overflow.
        private long Ticks(TimeSpan interval) => (long)Math.Min(interval.TotalSeconds * _time.TimestampFrequency, long.MaxValue / 4);

        private void OpenPart(Transaction first, string bucket)
        {
            _partCounter = _nextCounter++;
            _partBucket = bucket;
            var folder = PartFolder();
            if (bucket.Length > 0)
            {
                try
                {
                    Step(ErrorMessages.BucketFolderFailed, folder, () => Directory.CreateDirectory(folder));
                }
                catch (Exception exception)
                {
                    RecordFailure(exception);
                    throw;
                }
            }
            var partPath = _partPath = Path.Combine(folder, PartFileNames.InProgress(_options.Subtask, _partCounter));
            try
            {
                _part = Step(ErrorMessages.PartCreateFailed, partPath, () => _options.OpenPartFile(partPath));
            }
            catch (Exception exception)
            {
                RecordFailure(exception);
                throw;
            }
            _partRecords = 0;
            _partPositions.Clear();
            _firstOfPart = first;
            _partOpenedAt = _lastWriteAt = _time.GetTimestamp();
            ScheduleRoll(Math.Min(Ticks(_options.RolloverInterval), Ticks(_options.InactivityInterval)));

            var header = new StringBuilder();
            _formatter.AppendPartHeader(header, first);
            if (header.Length == 0) return;
            var bytes = Encoding.UTF8.GetBytes(header.ToString());
            Guarded(ErrorMessages.PartWriteFailed, () => _part!.Write(bytes, 0, bytes.Length));
        }

        // Flink's two-phase commit, one phase per step, each durable before the next: PrepareCommit, WritePendingCheckpoint,
        // PublishPart (the one moment of commit), CompleteCheckpoint. A crash between any two leaves the part and its
        // checkpoint, or neither, once Recover has run.
        private void CommitPart()
        {
            try
            {
                var prepared = PrepareCommit();
                if (prepared.Checkpoint != null) WritePendingCheckpoint(prepared.Checkpoint);
                PublishPart(prepared);
                if (prepared.Checkpoint != null)
                {
                    CompleteCheckpoint(prepared);
                    PositionsCommitted?.Invoke(prepared.Checkpoint.Inputs);
                }
            }
            catch (Exception exception)
            {
                RecordFailure(exception);
                throw;
            }
        }

        // Flushes and syncs the part in progress, closes it, and says how far the output covers every input with it.
        private PreparedPart PrepareCommit()
        {
            var part = _part!;
            var partPath = _partPath!;
            Guarded(ErrorMessages.PartFlushFailed, () => part.Flush(flushToDisk: true));
            _part = null;
            Step(ErrorMessages.PartFlushFailed, partPath, part.Dispose);

            var name = PartFileNames.Committed(_options.Subtask, _partCounter);
            var committedPath = Path.Combine(PartFolder(), name);
            var checkpoint = _partPositions.Count == 0 ? null : NextCheckpoint(_partBucket.Length == 0 ? name : _partBucket + "/" + name);
            return new PreparedPart(partPath, committedPath, checkpoint);
        }

        private void WritePendingCheckpoint(Checkpoint checkpoint) =>
            Step(ErrorMessages.CheckpointWriteFailed, _checkpoints.Location, () => _checkpoints.WritePending(checkpoint));

        // The atomic rename, then the folder synced: from here on the part is committed.
        private void PublishPart(PreparedPart prepared)
        {
            Step(ErrorMessages.PartRenameFailed, prepared.InProgressPath, () => File.Move(prepared.InProgressPath, prepared.CommittedPath), prepared.CommittedPath);
            DirectorySync.Sync(PartFolder());
            _committedParts.Add(prepared.CommittedPath);
        }

        private void CompleteCheckpoint(PreparedPart prepared)
        {
            foreach (var input in prepared.Checkpoint!.Inputs) _committedPositions[input.InputKey] = input;
            Step(ErrorMessages.CheckpointCompleteFailed, _checkpoints.Location, _checkpoints.CompletePending, prepared.CommittedPath);
        }

        private Checkpoint NextCheckpoint(string part)
        {
            var positions = new Dictionary<string, SourcePosition>(_committedPositions, SourcePosition.InputKeyComparer);
            foreach (var position in _partPositions) positions[position.Key] = position.Value;
            return new Checkpoint(part, positions.Values.ToArray());
        }

        private sealed class PreparedPart
        {
            public PreparedPart(string inProgressPath, string committedPath, Checkpoint? checkpoint)
            {
                InProgressPath = inProgressPath;
                CommittedPath = committedPath;
                Checkpoint = checkpoint;
            }

            public string InProgressPath { get; }

            public string CommittedPath { get; }

            // Null when no record of the part came from an input that a checkpoint covers.
            public Checkpoint? Checkpoint { get; }
        }

        // What failed, where, in the exception's message: a disk that is full, a folder in the way and a sync that failed
        // all surface as WriteFailed, and only the message tells them apart.
        private static void Step(string format, string path, Action action, string? other = null) =>
            Step(format, path, () =>
            {
                action();
                return true;
            }, other);

        private static T Step<T>(string format, string path, Func<T> action, string? other = null)
        {
            try
            {
                return action();
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                throw Described(format, path, exception, other);
            }
        }

        private static IOException Described(string format, string path, Exception exception, string? other = null) =>
            new IOException(
                other is null
                    ? string.Format(CultureInfo.CurrentCulture, format, path, exception.Message)
                    : string.Format(CultureInfo.CurrentCulture, format, path, other, exception.Message),
                exception);

        private string PartFolder() => _partBucket.Length == 0 ? _options.Directory : Path.Combine(_options.Directory, _partBucket);

        // The output folder and its bucket subfolders; the checkpoints' folder and other hidden ones hold no parts.
        private IEnumerable<string> PartFolders() =>
            new[] { _options.Directory }.Concat(Directory.EnumerateDirectories(_options.Directory)
                .Where(folder => Path.GetFileName(folder) is string name && name[0] != '_' && name[0] != '.'));

        // Formatting a time for every record would cost more than the record: the name is kept for the second it was made for.
        private string BucketOf(Transaction record)
        {
            if (_options.BucketBy == BucketBy.None) return string.Empty;
            var time = _options.BucketBy == BucketBy.EventTime && record.Timestamp.HasValue ? record.Timestamp.Value.UtcDateTime : _time.GetUtcNow().UtcDateTime;
            var second = time.Ticks / TimeSpan.TicksPerSecond;
            if (second != _bucketSecond)
            {
                _bucket = BucketNames.Format(time, _options.BucketFormat);
                _bucketSecond = second;
            }
            return _bucket;
        }

        // A part whose write failed may end in half a record: it is closed and left in progress, never committed.
        private void Guarded(string format, Action write)
        {
            try
            {
                write();
            }
            catch (Exception exception)
            {
                var failure = exception is IOException || exception is UnauthorizedAccessException ? Described(format, _partPath!, exception) : exception;
                RecordFailure(failure);
                var part = _part;
                _part = null;
                try
                {
                    part?.Dispose();
                }
                catch (IOException)
                {
                    // The part is abandoned either way; the write's own error is the one to report.
                }
                if (failure == exception) throw;
                throw failure;
            }
        }

        private void RecordFailure(Exception exception)
        {
            _failure ??= ExceptionDispatchInfo.Capture(exception);
        }

        private void ThrowIfFailed()
        {
            if (_failure is null) return;
            _failure.Throw();
        }

        private int Encode(StringBuilder text)
        {
            if (_chars.Length < text.Length) _chars = new char[Math.Max(text.Length, _chars.Length * 2)];
            text.CopyTo(0, _chars, 0, text.Length);
            var maxLength = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (_bytes.Length < maxLength) _bytes = new byte[Math.Max(maxLength, _bytes.Length * 2)];
            return Encoding.UTF8.GetBytes(_chars, 0, text.Length, _bytes, 0);
        }
    }
}
