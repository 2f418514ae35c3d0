using System;
using System.Collections.Generic;
using System.Globalization;

namespace AnomalyTools.Rules
{
    /// <summary>
    /// Flags an amount more than k standard deviations above the mean of the customer's earlier amounts, once the
    /// customer has a minimum history. The transaction joins the history after it is judged. Mean and variance are
    /// kept with Welford's method, which stays accurate over millions of amounts; the sample standard deviation
    /// (dividing by count - 1) is used, and an amount exactly k standard deviations above is not flagged. The comparison
    /// is made in double precision: an amount at the limit in exact arithmetic may fall either way by rounding.
    /// </summary>
    public sealed class OutlierRule : ISuspicionRule
    {
        /// <summary>The history a customer needs before the rule judges them: 10 earlier transactions.</summary>
        public const int DefaultMinHistory = 10;

        private readonly CustomerStates<History> _histories = new CustomerStates<History>();
        private readonly IReadOnlyDictionary<string, string> _settings;

        /// <summary>Creates the rule.</summary>
        /// <param name="deviations">How many standard deviations above the mean an amount must be; greater than zero.</param>
        /// <param name="minHistory">How many earlier transactions a customer needs; at least 2.</param>
        public OutlierRule(double deviations, int minHistory = DefaultMinHistory)
        {
            if (!(deviations > 0) || double.IsInfinity(deviations)) throw new ArgumentOutOfRangeException(nameof(deviations), deviations, "Expected a number of standard deviations greater than zero.");
            if (minHistory < 2) throw new ArgumentOutOfRangeException(nameof(minHistory), minHistory, "Expected at least 2 earlier transactions.");
            Deviations = deviations;
            MinHistory = minHistory;
            _settings = new Dictionary<string, string>
            {
                ["Deviation"] = deviations.ToString("R", CultureInfo.InvariantCulture),
                [nameof(MinHistory)] = minHistory.ToString(CultureInfo.InvariantCulture),
            };
        }

        /// <inheritdoc />
        public string Id => "Outlier";

        /// <inheritdoc />
        public bool UsesTime => false;

        /// <inheritdoc />
        public int StateCount => _histories.Count;

        /// <summary>How many standard deviations above the mean an amount must be.</summary>
        public double Deviations { get; }

        /// <summary>How many earlier transactions a customer needs before being judged.</summary>
        public int MinHistory { get; }

        /// <inheritdoc />
        public Finding? Evaluate(Transaction transaction)
        {
            var history = _histories.Get(transaction.CustomerId, () => new History());
            var amount = (double)transaction.Amount;
            Finding? finding = null;
            if (history.Count >= MinHistory)
            {
                var standardDeviation = Math.Sqrt(history.SquaredDeviations / (history.Count - 1));
                var limit = history.Mean + Deviations * standardDeviation;
                if (amount > limit) finding = Explain(transaction, history, standardDeviation, limit);
            }
            history.Add(amount);
            return finding;
        }

        private Finding Explain(Transaction transaction, History history, double standardDeviation, double limit)
        {
            var baseline = new CustomerBaseline(history.Count, history.Mean, standardDeviation);
            var message = standardDeviation == 0
                ? string.Format(CultureInfo.InvariantCulture,
                    "amount {0} is above customer {1}'s earlier amounts, all {2:0.00}, over {3} earlier transactions",
                    transaction.Amount, transaction.CustomerId, history.Mean, history.Count)
                : string.Format(CultureInfo.InvariantCulture,
                    "amount {0} is {1:0.0} standard deviations above customer {2}'s mean of {3:0.00} over {4} earlier transactions",
                    transaction.Amount, ((double)transaction.Amount - history.Mean) / standardDeviation, transaction.CustomerId, history.Mean, history.Count);
            return new Finding(Id, message, transaction.Amount, ToDecimal(limit), _settings, baseline);
        }

        private static decimal ToDecimal(double value) =>
            value >= (double)decimal.MaxValue ? decimal.MaxValue : value <= (double)decimal.MinValue ? decimal.MinValue : Math.Round((decimal)value, 6);

        private sealed class History
        {
            public long Count;
            public double Mean;
            public double SquaredDeviations;

            public void Add(double amount)
            {
                Count++;
                var delta = amount - Mean;
                Mean += delta / Count;
                SquaredDeviations += delta * (amount - Mean);
            }
        }
    }
}
