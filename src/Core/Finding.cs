using System;
using System.Collections.Generic;

namespace AnomalyTools
{
    /// <summary>
    /// Why a rule flagged a transaction: the rule, a sentence a person understands, the measured value and the limit,
    /// the rule's settings and, for a statistical rule, the customer's baseline.
    /// </summary>
    public sealed class Finding
    {
        private static readonly IReadOnlyDictionary<string, string> s_noSettings = new Dictionary<string, string>();

        /// <summary>Creates a finding.</summary>
        public Finding(
            string rule,
            string message,
            decimal value,
            decimal limit,
            IReadOnlyDictionary<string, string>? settings = null,
            CustomerBaseline? baseline = null)
        {
            Rule = rule ?? throw new ArgumentNullException(nameof(rule));
            Message = message ?? throw new ArgumentNullException(nameof(message));
            Value = value;
            Limit = limit;
            Settings = settings ?? s_noSettings;
            Baseline = baseline;
        }

        /// <summary>The id of the rule that flagged the transaction, such as <c>Threshold</c>.</summary>
        public string Rule { get; }

        /// <summary>The explanation, such as "amount 9582.15 exceeds the threshold 8000".</summary>
        public string Message { get; }

        /// <summary>What the rule measured.</summary>
        public decimal Value { get; }

        /// <summary>The limit the measured value was compared with.</summary>
        public decimal Limit { get; }

        /// <summary>The rule's settings, by parameter name, formatted with the invariant culture.</summary>
        public IReadOnlyDictionary<string, string> Settings { get; }

        /// <summary>For a statistical rule: the customer's history the transaction was judged against; otherwise null.</summary>
        public CustomerBaseline? Baseline { get; }

        /// <inheritdoc />
        public override string ToString() => Message;
    }

    /// <summary>A customer's earlier amounts, as a statistical rule saw them: how many, their mean and standard deviation.</summary>
    public sealed class CustomerBaseline
    {
        /// <summary>Creates a baseline.</summary>
        public CustomerBaseline(long count, double mean, double standardDeviation)
        {
            Count = count;
            Mean = mean;
            StandardDeviation = standardDeviation;
        }

        /// <summary>The number of earlier transactions.</summary>
        public long Count { get; }

        /// <summary>The mean of their amounts.</summary>
        public double Mean { get; }

        /// <summary>The sample standard deviation of their amounts (dividing by count - 1).</summary>
        public double StandardDeviation { get; }
    }
}
