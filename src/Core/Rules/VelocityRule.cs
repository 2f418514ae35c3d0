using System;
using System.Collections.Generic;
using System.Globalization;

namespace AnomalyTools.Rules
{
    /// <summary>
    /// Flags a transaction when, counting it, its customer has more than N transactions whose timestamps fall in the
    /// trailing window (t - window, t]. Late transactions (within the allowed lateness) count by their own time. A
    /// customer's timestamps are kept only while a later transaction's window could still reach them.
    /// </summary>
    public sealed class VelocityRule : ISuspicionRule
    {
        /// <summary>The trailing window by default: one minute.</summary>
        public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(1);

        private readonly CustomerStates<List<long>> _recent;
        private readonly IReadOnlyDictionary<string, string> _settings;

        /// <summary>Creates the rule.</summary>
        /// <param name="maxPerWindow">How many transactions a customer may make within the window; at least 1.</param>
        /// <param name="window">The trailing window; longer than zero.</param>
        /// <param name="allowedLateness">How far behind the latest timestamp a transaction may be and still count.</param>
        public VelocityRule(int maxPerWindow, TimeSpan window, TimeSpan allowedLateness)
        {
            if (maxPerWindow < 1) throw new ArgumentOutOfRangeException(nameof(maxPerWindow), maxPerWindow, "Expected at least 1.");
            if (window <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(window), window, "Expected a window longer than zero.");
            if (allowedLateness < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(allowedLateness), allowedLateness, "Expected zero or more.");
            MaxPerWindow = maxPerWindow;
            Window = window;
            AllowedLateness = allowedLateness;
            // The window (t - window, t] is open at its start: in ticks it reaches back one tick less than the window.
            _recent = new CustomerStates<List<long>>(window - TimeSpan.FromTicks(1), allowedLateness, recent => recent.Count == 0 ? long.MinValue : recent[recent.Count - 1]);
            _settings = new Dictionary<string, string>
            {
                [nameof(MaxPerWindow)] = maxPerWindow.ToString(CultureInfo.InvariantCulture),
                [nameof(Window)] = EventTime.Format(window),
            };
        }

        /// <inheritdoc />
        public string Id => "Velocity";

        /// <inheritdoc />
        public bool UsesTime => true;

        /// <inheritdoc />
        public int StateCount => _recent.Count;

        /// <summary>How many transactions a customer may make within the window.</summary>
        public int MaxPerWindow { get; }

        /// <summary>The trailing window.</summary>
        public TimeSpan Window { get; }

        /// <summary>How far behind the latest timestamp a transaction may be and still count.</summary>
        public TimeSpan AllowedLateness { get; }

        /// <inheritdoc />
        public Finding? Evaluate(Transaction transaction)
        {
            var time = transaction.Timestamp!.Value.UtcTicks;
            var recent = _recent.Get(transaction.CustomerId, () => new List<long>(), time);
            var oldest = _recent.Oldest;
            var expired = 0;
            while (expired < recent.Count && recent[expired] < oldest) expired++;
            recent.RemoveRange(0, expired);

            var windowStart = EventTime.Before(time, Window);
            var first = UpperBound(recent, windowStart);
            var insertAt = UpperBound(recent, time);
            var count = insertAt - first + 1;
            recent.Insert(insertAt, time);
            if (count <= MaxPerWindow) return null;

            var message = string.Format(CultureInfo.InvariantCulture,
                "customer {0} made {1} transactions within {2} up to {3}, more than the {4} allowed",
                transaction.CustomerId, count, EventTime.Format(Window), EventTime.Format(time), MaxPerWindow);
            return new Finding(Id, message, count, MaxPerWindow, _settings);
        }

        // The index of the first timestamp later than the given one.
        private static int UpperBound(List<long> sorted, long value)
        {
            int low = 0, high = sorted.Count;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (sorted[middle] <= value) low = middle + 1;
                else high = middle;
            }
            return low;
        }
    }
}
