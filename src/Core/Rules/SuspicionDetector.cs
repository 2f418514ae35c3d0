using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AnomalyTools.Rules
{
    /// <summary>
    /// Runs rules over a stream of transactions, combined by OR, in arrival order. Rules on event time see only
    /// transactions with a timestamp no further behind the latest one seen than the allowed lateness; the others are
    /// counted as late and, when asked, passed on with a <c>Late</c> finding.
    /// </summary>
    public sealed class SuspicionDetector
    {
        /// <summary>The id of the finding a late transaction carries when late ones are passed on.</summary>
        public const string LateRuleId = "Late";

        private readonly ISuspicionRule[] _rules;
        private readonly TimeSpan _allowedLateness;
        private readonly bool _includeLate;
        private readonly IReadOnlyDictionary<string, string> _lateSettings;
        private long _latest = long.MinValue;

        /// <summary>Creates a detector of <paramref name="rules"/>, evaluated in the given order.</summary>
        /// <param name="rules">The rules.</param>
        /// <param name="allowedLateness">How far behind the latest timestamp a transaction may be and still be judged by the time rules.</param>
        /// <param name="includeLate">Whether a late transaction is passed on, with a Late finding.</param>
        public SuspicionDetector(IEnumerable<ISuspicionRule> rules, TimeSpan allowedLateness = default, bool includeLate = false)
        {
            _rules = rules?.ToArray() ?? throw new ArgumentNullException(nameof(rules));
            if (allowedLateness < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(allowedLateness), allowedLateness, "Expected zero or more.");
            _allowedLateness = allowedLateness;
            _includeLate = includeLate;
            UsesTime = _rules.Any(rule => rule.UsesTime);
            _lateSettings = new Dictionary<string, string> { ["AllowedLateness"] = EventTime.Format(allowedLateness) };
        }

        /// <summary>The rules, in the order they are evaluated.</summary>
        public IReadOnlyList<ISuspicionRule> Rules => _rules;

        /// <summary>Whether any rule works on event time, so that transactions need a timestamp.</summary>
        public bool UsesTime { get; }

        /// <summary>How many transactions came later than the allowed lateness, and so were not judged by the time rules.</summary>
        public long LateCount { get; private set; }

        /// <summary>
        /// Judges the next transaction of the stream. Every rule that can judge it sees it, so that rules with state stay
        /// current. The result carries a flagged copy when any rule flagged it.
        /// </summary>
        public Inspection Inspect(Transaction transaction)
        {
            if (transaction is null) throw new ArgumentNullException(nameof(transaction));
            var missingTimestamp = UsesTime && transaction.Timestamp is null;
            var late = false;
            long behind = 0;
            if (UsesTime && transaction.Timestamp is DateTimeOffset timestamp)
            {
                var time = timestamp.UtcTicks;
                behind = _latest == long.MinValue ? 0 : _latest - time;
                late = behind > _allowedLateness.Ticks;
                if (late) LateCount++;
                else if (time > _latest) _latest = time;
            }

            List<Finding>? findings = null;
            foreach (var rule in _rules)
            {
                if (rule.UsesTime && (missingTimestamp || late)) continue;
                var finding = rule.Evaluate(transaction);
                if (finding is null) continue;
                (findings ??= new List<Finding>()).Add(finding);
            }
            if (late && _includeLate) (findings ??= new List<Finding>()).Add(LateFinding(transaction, behind));
            return new Inspection(findings is null ? null : transaction.WithFindings(findings), missingTimestamp, late);
        }

        private Finding LateFinding(Transaction transaction, long behind)
        {
            var message = string.Format(CultureInfo.InvariantCulture,
                "timestamp {0} is {1} behind the latest {2}, more than the allowed lateness {3}: the time rules did not judge it",
                EventTime.Format(transaction.Timestamp!.Value.UtcTicks), EventTime.Format(TimeSpan.FromTicks(behind)),
                EventTime.Format(_latest), EventTime.Format(_allowedLateness));
            return new Finding(LateRuleId, message, (decimal)TimeSpan.FromTicks(behind).TotalSeconds, (decimal)_allowedLateness.TotalSeconds, _lateSettings);
        }
    }

    /// <summary>What the detector made of one transaction.</summary>
    public readonly struct Inspection
    {
        internal Inspection(Transaction? flagged, bool missingTimestamp, bool late)
        {
            Flagged = flagged;
            MissingTimestamp = missingTimestamp;
            Late = late;
        }

        /// <summary>A copy that carries the findings when any rule flagged the transaction, otherwise null.</summary>
        public Transaction? Flagged { get; }

        /// <summary>Whether the transaction had no timestamp while a time rule is on: the time rules did not judge it.</summary>
        public bool MissingTimestamp { get; }

        /// <summary>Whether the transaction came later than the allowed lateness: the time rules did not judge it.</summary>
        public bool Late { get; }
    }
}
