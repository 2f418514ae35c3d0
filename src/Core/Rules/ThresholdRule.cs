using System.Collections.Generic;
using System.Globalization;

namespace AnomalyTools.Rules
{
    /// <summary>Flags an amount strictly greater than a threshold: with the default 8000, 8000.00 is not suspicious.</summary>
    public sealed class ThresholdRule : ISuspicionRule
    {
        private readonly IReadOnlyDictionary<string, string> _settings;

        /// <summary>The threshold the exercise used.</summary>
        public const decimal DefaultThreshold = 8000m;

        /// <summary>Creates the rule.</summary>
        public ThresholdRule(decimal threshold = DefaultThreshold)
        {
            Threshold = threshold;
            _settings = new Dictionary<string, string> { [nameof(Threshold)] = threshold.ToString(CultureInfo.InvariantCulture) };
        }

        /// <inheritdoc />
        public string Id => "Threshold";

        /// <inheritdoc />
        public bool UsesTime => false;

        /// <inheritdoc />
        public int StateCount => 0;

        /// <summary>The amount that a suspicious transaction exceeds.</summary>
        public decimal Threshold { get; }

        /// <inheritdoc />
        public Finding? Evaluate(Transaction transaction)
        {
            if (transaction.Amount <= Threshold) return null;
            var message = string.Format(
                CultureInfo.InvariantCulture, "amount {0} exceeds the threshold {1}", transaction.Amount, Threshold);
            return new Finding(Id, message, transaction.Amount, Threshold, _settings);
        }
    }
}
