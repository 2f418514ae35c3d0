using System;
using System.Collections.Generic;

namespace AnomalyTools.Rules
{
    /// <summary>
    /// A rule's state, one entry per customer. A rule on event time drops the entries that can no longer matter: every
    /// few thousand transactions, the entries that <c>isStale</c> says have fallen behind every window are removed, so
    /// memory follows the customers active within the windows, not the rows.
    /// </summary>
    internal sealed class CustomerStates<TState>
        where TState : class
    {
        private const int SweepEvery = 4096;

        private readonly Dictionary<string, TState> _states = new Dictionary<string, TState>(StringComparer.Ordinal);
        private readonly Func<TState, bool>? _isStale;
        private readonly List<string> _stale = new List<string>();
        private int _untilSweep = SweepEvery;

        public CustomerStates(Func<TState, bool>? isStale = null)
        {
            _isStale = isStale;
        }

        public int Count => _states.Count;

        /// <summary>The customer's state, created when it has none.</summary>
        public TState Get(string customerId, Func<TState> create)
        {
            if (_isStale != null && --_untilSweep == 0) Sweep();
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
            foreach (var entry in _states)
            {
                if (_isStale!(entry.Value)) _stale.Add(entry.Key);
            }
            foreach (var key in _stale) _states.Remove(key);
            _stale.Clear();
        }
    }
}
