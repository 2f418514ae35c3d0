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
    /// <see cref="FollowOptions.MaxPollInterval"/>, so waiting costs no busy CPU.
    /// </summary>
    public sealed class FileFollower : IDisposable
    {
        private readonly TransactionCsvOptions _csvOptions;
        private readonly FollowOptions _options;
        private readonly List<FollowedFile> _files = new List<FollowedFile>();
        private readonly HashSet<string> _known = new HashSet<string>(FilePaths.Comparer);
        private readonly List<FollowEvent> _events = new List<FollowEvent>();
        private readonly List<FollowEvent> _started = new List<FollowEvent>();

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
            _started.Add(FollowEvent.Notice(FollowEventKind.Started, path));
            return true;
        }

        /// <summary>
        /// Follows the files, yielding what happens in each, until <paramref name="cancellationToken"/> is cancelled,
        /// no file has grown for <see cref="FollowOptions.IdleTimeout"/>, or no file is left to follow and there is
        /// nothing to discover. Every
        /// <see cref="FollowOptions.DiscoveryInterval"/>, the paths that <paramref name="discover"/> gives are
        /// added, on this thread: how files that come to match a wildcard are picked up. A new one is read past the line
        /// that <paramref name="skipThroughLine"/> gives for it, if any.
        /// </summary>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        public IEnumerable<FollowEvent> Follow(
            Func<IEnumerable<string>>? discover, CancellationToken cancellationToken, Func<string, long>? skipThroughLine = null)
        {
            var lastActivity = MonotonicClock.Now;
            var nextDiscovery = lastActivity + MonotonicClock.Ticks(_options.DiscoveryInterval);
            var nextReplacementCheck = lastActivity;
            var wait = TimeSpan.Zero;
            var recordsSinceCaughtUp = false;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var now = MonotonicClock.Now;
                if (discover != null && now >= nextDiscovery)
                {
                    foreach (var path in discover())
                    {
                        if (!_known.Contains(path)) Add(path, skipThroughLine?.Invoke(path) ?? 0);
                    }
                    nextDiscovery = now + MonotonicClock.Ticks(_options.DiscoveryInterval);
                }
                foreach (var started in _started) yield return started;
                _started.Clear();

                var checkReplacement = now >= nextReplacementCheck;
                if (checkReplacement) nextReplacementCheck = now + MonotonicClock.Ticks(_options.ReplacementCheckInterval);
                var active = false;
                for (var i = 0; i < _files.Count; i++)
                {
                    var file = _files[i];
                    _events.Clear();
                    active |= file.Poll(_events, checkReplacement);
                    foreach (var followEvent in _events)
                    {
                        recordsSinceCaughtUp |= followEvent.Kind == FollowEventKind.Record;
                        yield return followEvent;
                    }
                    if (file.Ended)
                    {
                        file.Dispose();
                        _files.RemoveAt(i--);
                    }
                }

                if (discover is null && _files.Count == 0) yield break;
                if (active)
                {
                    lastActivity = MonotonicClock.Now;
                    wait = TimeSpan.Zero;
                    continue;
                }
                if (recordsSinceCaughtUp)
                {
                    recordsSinceCaughtUp = false;
                    yield return FollowEvent.Notice(FollowEventKind.CaughtUp, string.Empty);
                }
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

        /// <inheritdoc />
        public void Dispose()
        {
            foreach (var file in _files) file.Dispose();
            _files.Clear();
        }

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    }
}
