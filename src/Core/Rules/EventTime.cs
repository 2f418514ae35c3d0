using System;
using System.Globalization;

namespace AnomalyTools.Rules
{
    /// <summary>Event-time arithmetic the time rules share: ticks of UTC, sums that cannot overflow, and how times read in messages.</summary>
    internal static class EventTime
    {
        /// <summary><paramref name="ticks"/> minus the sum of <paramref name="spans"/>, saturating instead of overflowing.</summary>
        public static long Before(long ticks, params TimeSpan[] spans)
        {
            foreach (var span in spans)
            {
                ticks = span.Ticks > ticks - long.MinValue / 2 ? long.MinValue / 2 : ticks - span.Ticks;
            }
            return ticks;
        }

        public static string Format(long utcTicks) =>
            new DateTimeOffset(utcTicks, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

        public static string Format(TimeSpan span) => span.ToString("c", CultureInfo.InvariantCulture);
    }
}
