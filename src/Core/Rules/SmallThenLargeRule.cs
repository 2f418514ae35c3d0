using System;
using System.Collections.Generic;
using System.Globalization;

namespace AnomalyTools.Rules
{
    /// <summary>
    /// Flink's FraudDetector: flags an amount above a large amount that comes right after (the customer's previous
    /// transaction, at most a given time earlier) an amount below a small one, the pattern of a card tested with a tiny
    /// payment and then emptied. The previous transaction is the customer's last one in arrival order that the rule
    /// judged: the detector keeps from it those without a timestamp and those later than the allowed lateness, so they
    /// leave the previous one in place, while one within the lateness replaces it even when its time is earlier.
    /// </summary>
    public sealed class SmallThenLargeRule : ISuspicionRule
    {
        /// <summary>The small amount by default: 1.00.</summary>
        public const decimal DefaultSmallAmount = 1.00m;

        /// <summary>The large amount by default: 500.00.</summary>
        public const decimal DefaultLargeAmount = 500.00m;

        /// <summary>The longest time between the two by default: one minute.</summary>
        public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(1);

        private readonly CustomerStates<Previous> _previous;
        private readonly IReadOnlyDictionary<string, string> _settings;

        /// <summary>Creates the rule.</summary>
        /// <param name="smallAmount">The first amount is strictly below this.</param>
        /// <param name="largeAmount">The second amount is strictly above this.</param>
        /// <param name="window">The second comes at most this long after the first; longer than zero.</param>
        /// <param name="allowedLateness">How far behind the latest timestamp a transaction may be and still count.</param>
        public SmallThenLargeRule(decimal smallAmount, decimal largeAmount, TimeSpan window, TimeSpan allowedLateness)
        {
            if (window <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(window), window, "Expected a time longer than zero.");
            if (allowedLateness < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(allowedLateness), allowedLateness, "Expected zero or more.");
            SmallAmount = smallAmount;
            LargeAmount = largeAmount;
            Window = window;
            AllowedLateness = allowedLateness;
            // The time may be exactly the window: the window is closed at both ends, so it reaches back the whole window.
            _previous = new CustomerStates<Previous>(window, allowedLateness, previous => previous.Time);
            _settings = new Dictionary<string, string>
            {
                [nameof(SmallAmount)] = smallAmount.ToString(CultureInfo.InvariantCulture),
                [nameof(LargeAmount)] = largeAmount.ToString(CultureInfo.InvariantCulture),
                ["SmallThenLargeWindow"] = EventTime.Format(window),
            };
        }

        /// <inheritdoc />
        public string Id => "SmallThenLarge";

        /// <inheritdoc />
        public bool UsesTime => true;

        /// <inheritdoc />
        public int StateCount => _previous.Count;

        /// <summary>The first amount is strictly below this.</summary>
        public decimal SmallAmount { get; }

        /// <summary>The second amount is strictly above this.</summary>
        public decimal LargeAmount { get; }

        /// <summary>The longest time from the small amount to the large one.</summary>
        public TimeSpan Window { get; }

        /// <summary>How far behind the latest timestamp a transaction may be and still count.</summary>
        public TimeSpan AllowedLateness { get; }

        /// <inheritdoc />
        public Finding? Evaluate(Transaction transaction)
        {
            var time = transaction.Timestamp!.Value.UtcTicks;
            var previous = _previous.Get(transaction.CustomerId, () => new Previous { Time = long.MinValue }, time);
            Finding? finding = null;
            var elapsed = time - previous.Time;
            if (previous.Time != long.MinValue && previous.Amount < SmallAmount && transaction.Amount > LargeAmount
                && elapsed >= 0 && elapsed <= Window.Ticks)
            {
                var message = string.Format(CultureInfo.InvariantCulture,
                    "amount {0} above {1} came {2} after amount {3} below {4} from the same customer {5}",
                    transaction.Amount, LargeAmount, EventTime.Format(TimeSpan.FromTicks(elapsed)), previous.Amount, SmallAmount, transaction.CustomerId);
                finding = new Finding(Id, message, transaction.Amount, LargeAmount, _settings);
            }
            previous.Amount = transaction.Amount;
            previous.Time = time;
            return finding;
        }

        private sealed class Previous
        {
            public decimal Amount;
            public long Time;
        }
    }
}
