using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading;

namespace AnomalyTools.Sink
{
    /// <summary>
    /// Writes transactions durably into part files, as Flink's FileSink does. A part is written as the hidden
    /// <c>.part-0-00000.inprogress</c>; when it rolls (by size, by age, by inactivity, or on <see cref="Commit"/>
    /// and <see cref="Dispose"/>) it is flushed, synced to disk and atomically renamed to <c>part-0-00000</c>, so a
    /// reader never sees a half-written finished part. Numbering continues after the parts already in the folder,
    /// so a finished part is never overwritten. A timer rolls a part on time even while no record arrives.
    /// Thread-safe: the timer, or a stop on another thread, may commit while a record is written.
    /// </summary>
    public sealed class PartFileSink : IDisposable
    {
        private readonly object _gate = new object();
        private readonly PartFileSinkOptions _options;
        private readonly RecordFormatter _formatter;
        private readonly StringBuilder _text = new StringBuilder();
        private readonly List<string> _committedParts = new List<string>();
        private readonly List<string> _abandonedParts = new List<string>();
        private readonly Timer _rollTimer;
        private char[] _chars = new char[1024];
        private byte[] _bytes = new byte[4096];
        private long _nextCounter;
        private FileStream? _part;
        private string? _partPath;
        private long _partCounter;
        private long _partRecords;
        private Transaction? _firstOfPart;
        private long _partOpenedAt;
        private long _lastWriteAt;
        private ExceptionDispatchInfo? _rollFailure;
        private bool _disposed;

        /// <summary>Opens the output folder, creating it when missing, and finds where numbering continues.</summary>
        /// <exception cref="IOException">The folder cannot be created or read.</exception>
        /// <exception cref="UnauthorizedAccessException">The folder cannot be created or read with the caller's permissions.</exception>
        public PartFileSink(PartFileSinkOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _formatter = RecordFormatter.Create(options.Format, options.NeutralizeFormulas);
            Directory.CreateDirectory(options.Directory);
            foreach (var path in Directory.EnumerateFiles(options.Directory))
            {
                if (!PartFileNames.TryParse(Path.GetFileName(path), out var subtask, out var counter, out var inProgress)
                    || subtask != options.Subtask)
                {
                    continue;
                }
                _nextCounter = Math.Max(_nextCounter, counter + 1);
                if (inProgress) _abandonedParts.Add(path);
            }
            _abandonedParts.Sort(StringComparer.Ordinal);
            _rollTimer = new Timer(_ => RollOnTime(), null, Timeout.Infinite, Timeout.Infinite);
        }

        /// <summary>The in-progress parts of this subtask that an earlier run left behind (a crash): never counted as output.</summary>
        public IReadOnlyList<string> AbandonedParts => _abandonedParts;

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
                _rollFailure?.Throw();
                if (_part != null && _formatter.NeedsNewPart(_firstOfPart!, record)) CommitPart();

                _text.Clear();
                _formatter.AppendRecord(_text, record);
                var length = Encode(_text);
                if (_part != null && _partRecords > 0 && _part.Position + length > _options.MaxPartSize) CommitPart();
                if (_part is null) OpenPart(record);

                var bytes = _bytes;
                Guarded(() => _part!.Write(bytes, 0, length));
                _partRecords++;
                _lastWriteAt = MonotonicClock.Now;
            }
        }

        /// <summary>Commits the part in progress, if any. The next record opens a new part.</summary>
        /// <exception cref="IOException">The part cannot be committed, or a roll on time failed.</exception>
        public void Commit()
        {
            lock (_gate)
            {
                _rollFailure?.Throw();
                if (_part != null) CommitPart();
            }
        }

        /// <summary>Commits the part in progress and closes the sink.</summary>
        /// <exception cref="IOException">The part cannot be committed, or a roll on time failed.</exception>
        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed) return;
                _disposed = true;
                _rollTimer.Dispose();
                _rollFailure?.Throw();
                if (_part != null) CommitPart();
            }
        }

        private void RollOnTime()
        {
            lock (_gate)
            {
                if (_disposed || _part is null || _rollFailure != null) return;
                var now = MonotonicClock.Now;
                var due = Math.Min(_partOpenedAt + MonotonicClock.Ticks(_options.RolloverInterval), _lastWriteAt + MonotonicClock.Ticks(_options.InactivityInterval));
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
                    // No caller to tell on the timer's thread: the next write, commit or dispose throws it.
                    _rollFailure = ExceptionDispatchInfo.Capture(exception);
                }
            }
        }

        private void ScheduleRoll(long ticks)
        {
            var milliseconds = Math.Min(MonotonicClock.Milliseconds(ticks), uint.MaxValue - 2.0);
            _rollTimer.Change((long)milliseconds, Timeout.Infinite);
        }

        private void OpenPart(Transaction first)
        {
            _partCounter = _nextCounter++;
            _partPath = Path.Combine(_options.Directory, PartFileNames.InProgress(_options.Subtask, _partCounter));
            _part = new FileStream(_partPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024);
            _partRecords = 0;
            _firstOfPart = first;
            _partOpenedAt = _lastWriteAt = MonotonicClock.Now;
            ScheduleRoll(Math.Min(MonotonicClock.Ticks(_options.RolloverInterval), MonotonicClock.Ticks(_options.InactivityInterval)));

            var header = new StringBuilder();
            _formatter.AppendPartHeader(header, first);
            if (header.Length == 0) return;
            var bytes = Encoding.UTF8.GetBytes(header.ToString());
            Guarded(() => _part.Write(bytes, 0, bytes.Length));
        }

        private void CommitPart()
        {
            var part = _part!;
            var partPath = _partPath!;
            Guarded(() => part.Flush(flushToDisk: true));
            part.Dispose();
            _part = null;

            var committedPath = Path.Combine(_options.Directory, PartFileNames.Committed(_options.Subtask, _partCounter));
            File.Move(partPath, committedPath);
            DirectorySync.Sync(_options.Directory);
            _committedParts.Add(committedPath);
        }

        // A part whose write failed may end in half a record: it is closed and left in progress, never committed.
        private void Guarded(Action write)
        {
            try
            {
                write();
            }
            catch
            {
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
                throw;
            }
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
