using System;
using System.Diagnostics;

namespace AnomalyTools.Sources
{
    /// <summary>
    /// Decides when long work reports progress: silent for a first delay, so short work shows no bar, then at most
    /// once an interval.
    /// </summary>
    public sealed class ProgressThrottle
    {
        private readonly TimeSpan _initialDelay;
        private readonly TimeSpan _interval;
        private readonly Func<TimeSpan> _elapsed;
        private TimeSpan _lastReport;
        private bool _reported;

        /// <summary>Creates a throttle that starts its clock now.</summary>
        public ProgressThrottle(TimeSpan initialDelay, TimeSpan interval)
            : this(initialDelay, interval, CreateStopwatchClock())
        {
        }

        /// <summary>Creates a throttle that reads the time since the work began from <paramref name="elapsed"/>.</summary>
        public ProgressThrottle(TimeSpan initialDelay, TimeSpan interval, Func<TimeSpan> elapsed)
        {
            _initialDelay = initialDelay;
            _interval = interval;
            _elapsed = elapsed ?? throw new ArgumentNullException(nameof(elapsed));
        }

        /// <summary>Whether any progress has been reported, so that the work must end with a completed record.</summary>
        public bool HasReported => _reported;

        /// <summary>Whether to report now; when it says yes, the next report is an interval away.</summary>
        public bool ShouldReport()
        {
            var now = _elapsed();
            if (now < _initialDelay || (_reported && now - _lastReport < _interval)) return false;
            _reported = true;
            _lastReport = now;
            return true;
        }

        private static Func<TimeSpan> CreateStopwatchClock()
        {
            var stopwatch = Stopwatch.StartNew();
            return () => stopwatch.Elapsed;
        }
    }
}
