using System;
using System.Collections.Generic;
using System.Linq;

namespace AnomalyTools.Rules
{
    /// <summary>Runs rules over a stream of transactions, combined by OR, and keeps the ones any rule flags.</summary>
    public sealed class SuspicionDetector
    {
        private readonly ISuspicionRule[] _rules;

        /// <summary>Creates a detector of <paramref name="rules"/>, evaluated in the given order.</summary>
        public SuspicionDetector(IEnumerable<ISuspicionRule> rules)
        {
            _rules = rules?.ToArray() ?? throw new ArgumentNullException(nameof(rules));
        }

        /// <summary>The rules, in the order they are evaluated.</summary>
        public IReadOnlyList<ISuspicionRule> Rules => _rules;

        /// <summary>
        /// Judges the next transaction of the stream. Every rule sees it, so that rules with state stay current.
        /// Returns a copy that carries the findings when any rule flagged it, otherwise null.
        /// </summary>
        public Transaction? Inspect(Transaction transaction)
        {
            if (transaction is null) throw new ArgumentNullException(nameof(transaction));
            List<Finding>? findings = null;
            foreach (var rule in _rules)
            {
                var finding = rule.Evaluate(transaction);
                if (finding is null) continue;
                (findings ??= new List<Finding>()).Add(finding);
            }
            return findings is null ? null : transaction.WithFindings(findings);
        }
    }
}
