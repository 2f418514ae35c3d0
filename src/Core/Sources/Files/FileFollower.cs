using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using AnomalyTools.Platform;
using AnomalyTools.Sources.Csv;

namespace AnomalyTools.Sources.Files
{
    /// <summary>
    /// Follows transactions CSV files as they grow, as <c>tail -F</c> does: reads each file from the top, then every
    /// record appended to it once the record is complete. A truncated file is read again from the top, and so is the
    /// new file when the path is given to another one (rotation by rename and re-create). Files are looked at in
    /// turn on the caller's thread: at once while data keeps coming, then after waits that grow to
    /// <see cref="FollowOptions.MaxPollInterval"/>, so waiting costs no busy CPU. The live one of the file sources
    /// (<see cref="ITransactionSource"/>); <see cref="CsvFileSource"/> reads files once, without waiting.
    /// </summary>
    public sealed class FileFollower : ITransactionSource
    {
        private readonly TransactionCsvOptions _csvOptions;
        private readonly FollowOptions _options;
        private readonly List<FollowedFile> _files = new List<FollowedFile>();
        private readonly HashSet<string> _known = new HashSet<string>(FilePaths.Comparer);
        private readonly List<SourceEvent> _events = new List<SourceEvent>();
        private readonly List<SourceEvent> _started = new List<SourceEvent>();
        private bool _lastPollActive;
        private bool _recordsSinceCaughtUp;

        /// <summary>Creates a follower that reads files as <paramref name="csvOptions"/> say, as they are now: they are copied.</summary>
        public FileFollower(TransactionCsvOptions? csvOptions = null, FollowOptions? options = null)
        {
            _csvOptions = (csvOptions ?? new TransactionCsvOptions()).Snapshot();
            _options = options ?? new FollowOptions();
        }

        /// <summary>
        /// Starts following the file at <paramref name="path"/> (a full path) from its top. A path already followed,
        /// or followed before, is not added again.
        /// </summary>
        /// <param name="path">The file's full path.</param>
        /// <param name="skipThroughLine">
        /// Records that start on this line or before are read past without being given (see
        /// <see cref="TransactionCsvReader.SkipThroughLine"/>), unless the file is truncated or replaced meanwhile.
        /// </param>
        /// <returns>Whether the path was added.</returns>
        public bool Add(string path, long skipThroughLine = 0)
        {
            if (path is null) throw new ArgumentNullException(nameof(path));
            if (!_known.Add(path)) return false;
            _files.Add(new FollowedFile(path, _csvOptions, skipThroughLine));
            _started.Add(SourceEvent.Notice(SourceEventKind.Started, path));
            return true;
        }

        /// <summary>
        /// Every <see cref="FollowOptions.DiscoveryInterval"/> while following, the paths this gives are added: how files
        /// that come to match a wildcard are picked up. Null: none.
        /// </summary>
        public Func<IEnumerable<string>>? Discover { get; set; }

        /// <summary>The line through which a discovered file is read past without being given (a resumed run's); null: none.</summary>
        public Func<string, long>? SkipThroughLineOf { get; set; }

        /// <summary>Follows the files with <see cref="Discover"/> and <see cref="SkipThroughLineOf"/>; see <see cref="Follow"/>.</summary>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        public IEnumerable<SourceEvent> Read(CancellationToken cancellationToken) => Follow(Discover, cancellationToken, SkipThroughLineOf);

        /// <summary>
        /// Follows the files, yielding what happens in each, until <paramref name="cancellationToken"/> is cancelled,
        /// no file has grown for <see cref="FollowOptions.IdleTimeout"/>, or no file is left to follow and there is
        /// nothing to discover. Every
        /// <see cref="FollowOptions.DiscoveryInterval"/>, the paths that <paramref name="discover"/> gives are
        /// added, on this thread: how files that come to match a wildcard are picked up. A new one is read past the line
        /// that <paramref name="skipThroughLine"/> gives for it, if any.
        /// </summary>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        public IEnumerable<SourceEvent> Follow(
            Func<IEnumerable<string>>? discover, CancellationToken cancellationToken, Func<string, long>? skipThroughLine = null)
        {
            var lastActivity = MonotonicClock.Now;
            var nextDiscovery = lastActivity + MonotonicClock.Ticks(_options.DiscoveryInterval);
            var nextReplacementCheck = lastActivity;
            var wait = TimeSpan.Zero;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var now = MonotonicClock.Now;
                if (discover != null && now >= nextDiscovery)
                {
                    AddDiscovered(discover, skipThroughLine);
                    nextDiscovery = now + MonotonicClock.Ticks(_options.DiscoveryInterval);
                }
                var checkReplacement = now >= nextReplacementCheck;
                if (checkReplacement) nextReplacementCheck = now + MonotonicClock.Ticks(_options.ReplacementCheckInterval);
                foreach (var followEvent in PollFiles(checkReplacement)) yield return followEvent;

                if (discover is null && _files.Count == 0) yield break;
                if (_lastPollActive)
                {
                    lastActivity = MonotonicClock.Now;
                    wait = TimeSpan.Zero;
                    continue;
                }
                if (TryCatchUp(out var caughtUp)) yield return caughtUp;
                if (_options.IdleTimeout is TimeSpan idleTimeout && MonotonicClock.Now - lastActivity >= MonotonicClock.Ticks(idleTimeout))
                {
                    foreach (var file in _files)
                    {
                        _events.Clear();
                        file.AddIncompleteRecord(_events);
                        foreach (var followEvent in _events) yield return followEvent;
                    }
                    yield break;
                }
                wait = wait == TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : Min(wait + wait, _options.MaxPollInterval);
                cancellationToken.WaitHandle.WaitOne(wait);
            }
        }

        /// <summary>
        /// One look at every file, as following takes between its waits, with the paths <see cref="Discover"/> gives added
        /// first and every file checked for replacement: how tests drive following write by write, without waiting.
        /// Ends with <see cref="SourceEventKind.CaughtUp"/> when this look found nothing new after records came.
        /// </summary>
        internal IReadOnlyList<SourceEvent> PollOnce()
        {
            if (Discover != null) AddDiscovered(Discover, SkipThroughLineOf);
            var events = new List<SourceEvent>(PollFiles(checkReplacement: true));
            if (!_lastPollActive && TryCatchUp(out var caughtUp)) events.Add(caughtUp);
            return events;
        }

        private void AddDiscovered(Func<IEnumerable<string>> discover, Func<string, long>? skipThroughLine)
        {
            foreach (var path in discover())
            {
                if (!_known.Contains(path)) Add(path, skipThroughLine?.Invoke(path) ?? 0);
            }
        }

        // The files started since the last look, then what each file gave; sets whether any file had something new.
        private IEnumerable<SourceEvent> PollFiles(bool checkReplacement)
        {
            foreach (var started in _started) yield return started;
            _started.Clear();
            var active = false;
            for (var i = 0; i < _files.Count; i++)
            {
                var file = _files[i];
                _events.Clear();
                active |= file.Poll(_events, checkReplacement);
                foreach (var followEvent in _events)
                {
                    _recordsSinceCaughtUp |= followEvent.Kind == SourceEventKind.Record;
                    yield return followEvent;
                }
                if (file.Ended)
                {
                    file.Dispose();
                    _files.RemoveAt(i--);
                }
            }
            _lastPollActive = active;
        }

        private bool TryCatchUp(out SourceEvent caughtUp)
        {
            caughtUp = SourceEvent.Notice(SourceEventKind.CaughtUp, string.Empty);
            if (!_recordsSinceCaughtUp) return false;
            _recordsSinceCaughtUp = false;
            return true;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            foreach (var file in _files) file.Dispose();
            _files.Clear();
        }

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    }
}
