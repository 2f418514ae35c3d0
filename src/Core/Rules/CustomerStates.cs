using System;
using System.Collections.Generic;

namespace AnomalyTools.Rules
{
    /// <summary>
    /// A rule's state, one entry per customer. For a rule on event time it also keeps the latest timestamp seen and
    /// drops the entries that can no longer matter: every few thousand transactions, the entries whose last time is at
    /// or before the <see cref="Horizon"/> (the latest time minus the window and the allowed lateness) are removed, so
    /// memory follows the customers active within the windows, not the rows.
    /// </summary>
    internal sealed class CustomerStates<TState>
        where TState : class
    {
        private const int SweepEvery = 4096;

        private readonly Dictionary<string, TState> _states = new Dictionary<string, TState>(StringComparer.Ordinal);
        private readonly Func<TState, long>? _lastTime;
        private readonly TimeSpan _window;
        private readonly TimeSpan _allowedLateness;
        private readonly List<string> _stale = new List<string>();
        private int _untilSweep = SweepEvery;
        private long _latest = long.MinValue;

        /// <summary>State kept for as long as the rule lives.</summary>
        public CustomerStates()
        {
        }

        /// <summary>State on event time, dropped once <paramref name="lastTime"/> falls behind the horizon.</summary>
        public CustomerStates(TimeSpan window, TimeSpan allowedLateness, Func<TState, long> lastTime)
        {
            _window = window;
            _allowedLateness = allowedLateness;
            _lastTime = lastTime;
        }

        public int Count => _states.Count;

        /// <summary>Times at or before this can be in no window of a transaction still to be judged.</summary>
        public long Horizon => EventTime.Before(_latest, _window, _allowedLateness);

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
            var horizon = Horizon;
            foreach (var entry in _states)
            {
                if (_lastTime!(entry.Value) <= horizon) _stale.Add(entry.Key);
            }
            foreach (var key in _stale) _states.Remove(key);
            _stale.Clear();
        }
    }
}
