using System;

namespace AnomalyTools
{
    /// <summary>Why a rule flagged a transaction: the rule, a sentence a person understands, the measured value and the limit.</summary>
    public sealed class Finding
    {
        /// <summary>Creates a finding.</summary>
        public Finding(string rule, string message, decimal value, decimal limit)
        {
            Rule = rule ?? throw new ArgumentNullException(nameof(rule));
            Message = message ?? throw new ArgumentNullException(nameof(message));
            Value = value;
            Limit = limit;
        }

        /// <summary>The id of the rule that flagged the transaction, such as <c>Threshold</c>.</summary>
        public string Rule { get; }

        /// <summary>The explanation, such as "amount 9582.15 exceeds the threshold 8000".</summary>
        public string Message { get; }

        /// <summary>What the rule measured.</summary>
        public decimal Value { get; }

        /// <summary>The limit the measured value was compared with.</summary>
        public decimal Limit { get; }

        /// <inheritdoc />
        public override string ToString() => Message;
    }
}
