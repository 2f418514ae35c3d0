using System;
using System.Collections.Generic;

namespace AnomalyTools.Rules
{
    /// <summary>
    /// A rule's state, one entry per customer. For a rule on event time it also keeps the latest timestamp seen and
    /// drops the entries that can no longer matter: every few thousand transactions, the entries whose last time is
    /// before <see cref="Oldest"/> are removed, so memory follows the customers active within the windows, not the rows.
    /// </summary>
    /// <remarks>
    /// A transaction still to be judged is at most the allowed lateness behind the latest time (the detector holds later
    /// ones back), and a rule with reach r uses the times from its own time minus r to its own time, both ends included.
    /// So the oldest time any of them can use is the latest time minus the allowed lateness minus the reach: an entry
    /// whose last time is exactly that is kept, one a tick earlier is dropped.
    /// </remarks>
    internal sealed class CustomerStates<TState>
        where TState : class
    {
        /// <summary>How many transactions pass between two sweeps.</summary>
        internal const int SweepEvery = 4096;

        private readonly Dictionary<string, TState> _states = new Dictionary<string, TState>(StringComparer.Ordinal);
        private readonly Func<TState, long>? _lastTime;
        private readonly TimeSpan _reach;
        private readonly TimeSpan _allowedLateness;
        private readonly List<string> _stale = new List<string>();
        private int _untilSweep = SweepEvery;
        private long _latest = long.MinValue;

        /// <summary>State kept for as long as the rule lives.</summary>
        public CustomerStates()
        {
        }

        /// <summary>State on event time, dropped once <paramref name="lastTime"/> falls before <see cref="Oldest"/>.</summary>
        /// <param name="reach">How far before its own time a transaction can use a time, that far included; zero or more.</param>
        /// <param name="allowedLateness">How far behind the latest time a transaction may be and still be judged.</param>
        /// <param name="lastTime">The latest time (UTC ticks) an entry holds.</param>
        public CustomerStates(TimeSpan reach, TimeSpan allowedLateness, Func<TState, long> lastTime)
        {
            if (reach < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(reach), reach, "Expected zero or more.");
            _reach = reach;
            _allowedLateness = allowedLateness;
            _lastTime = lastTime;
        }

        public int Count => _states.Count;

        /// <summary>The oldest time that a transaction still to be judged can use: earlier times can be dropped.</summary>
        public long Oldest => EventTime.Before(_latest, _reach, _allowedLateness);

        /// <summary>The customer's state, created when it has none; <paramref name="time"/> (UTC ticks) moves the latest time on.</summary>
        public TState Get(string customerId, Func<TState> create, long time = long.MinValue)
        {
            if (time > _latest) _latest = time;
            if (_lastTime != null && --_untilSweep == 0) Sweep();
            if (!_states.TryGetValue(customerId, out var state))
            {
                state = create();
                _states.Add(customerId, state);
            }
            return state;
        }

        private void Sweep()
        {
            _untilSweep = SweepEvery;
            var oldest = Oldest;
            foreach (var entry in _states)
            {
                if (_lastTime!(entry.Value) < oldest) _stale.Add(entry.Key);
            }
            foreach (var key in _stale) _states.Remove(key);
            _stale.Clear();
        }
    }
}
