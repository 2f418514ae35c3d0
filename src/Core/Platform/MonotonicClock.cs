using System;
using System.Diagnostics;

namespace AnomalyTools.Platform
{
    /// <summary>Time that only moves forward (the wall clock can jump), in <see cref="Stopwatch"/> ticks.</summary>
    internal static class MonotonicClock
    {
        public static long Now => Stopwatch.GetTimestamp();

        /// <summary>An interval in ticks; intervals too long to matter become a far future that cannot overflow when added to <see cref="Now"/>.</summary>
        public static long Ticks(TimeSpan interval) => (long)Math.Min(interval.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 4);

        /// <summary>Ticks as whole milliseconds, rounded up.</summary>
        public static double Milliseconds(long ticks) => Math.Ceiling(ticks * 1000.0 / Stopwatch.Frequency);
    }
}
