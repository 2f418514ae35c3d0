using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AnomalyTools.Rules
{
    /// <summary>
    /// Which rules judge a stream and with what settings, in one place: the cmdlet's parameters and a rule file fill it,
    /// <see cref="CreateDetector"/> validates it and builds the rules. Each property is named as the parameter of
    /// Select-SuspiciousTransaction that sets it. <see cref="ToString"/> is the settings' canonical text, the rules
    /// fingerprint a resumed run compares with the run whose state it resumes.
    /// </summary>
    public sealed class RuleSettings
    {
        /// <summary>Turns the threshold rule off.</summary>
        public bool NoThreshold { get; set; }

        /// <summary>The threshold rule flags an amount strictly greater than this; 8000 by default.</summary>
        public decimal Threshold { get; set; } = ThresholdRule.DefaultThreshold;

        /// <summary>Turns the outlier rule on: how many standard deviations above the customer's mean an amount must be.</summary>
        public double? Deviation { get; set; }

        /// <summary>How many earlier transactions a customer needs before the outlier rule judges them.</summary>
        public int MinHistory { get; set; } = OutlierRule.DefaultMinHistory;

        /// <summary>Turns the velocity rule on: how many transactions a customer may make within <see cref="Window"/>.</summary>
        public int? MaxPerWindow { get; set; }

        /// <summary>The velocity rule's trailing window.</summary>
        public TimeSpan Window { get; set; } = VelocityRule.DefaultWindow;

        /// <summary>Turns the small-then-large rule on.</summary>
        public bool SmallThenLarge { get; set; }

        /// <summary>The small-then-large rule's first amount is strictly below this.</summary>
        public decimal SmallAmount { get; set; } = SmallThenLargeRule.DefaultSmallAmount;

        /// <summary>The small-then-large rule's second amount is strictly above this.</summary>
        public decimal LargeAmount { get; set; } = SmallThenLargeRule.DefaultLargeAmount;

        /// <summary>The small-then-large rule's longest time between the two amounts.</summary>
        public TimeSpan SmallThenLargeWindow { get; set; } = SmallThenLargeRule.DefaultWindow;

        /// <summary>How far behind the latest timestamp a transaction may be and still be judged by the time rules.</summary>
        public TimeSpan AllowedLateness { get; set; }

        /// <summary>Whether a late transaction is passed on, with a Late finding.</summary>
        public bool IncludeLate { get; set; }

        /// <summary>
        /// The detector of the rules that are on, in the order threshold, outlier, velocity, small-then-large; with no
        /// rule on, a detector without rules.
        /// </summary>
        /// <exception cref="InvalidRuleSettingException">A setting of a rule that is on cannot work.</exception>
        public SuspicionDetector CreateDetector()
        {
            var rules = new List<ISuspicionRule>();
            if (!NoThreshold) rules.Add(new ThresholdRule(Threshold));
            if (Deviation is double deviations) rules.Add(Validated(() => new OutlierRule(deviations, MinHistory), window: string.Empty));
            if (MaxPerWindow is int maxPerWindow) rules.Add(Validated(() => new VelocityRule(maxPerWindow, Window, AllowedLateness), nameof(Window)));
            if (SmallThenLarge) rules.Add(Validated(() => new SmallThenLargeRule(SmallAmount, LargeAmount, SmallThenLargeWindow, AllowedLateness), nameof(SmallThenLargeWindow)));
            return Validated(() => new SuspicionDetector(rules, AllowedLateness, IncludeLate), window: string.Empty);
        }

        /// <summary>
        /// The canonical text of the settings that matter: each rule that is on, in evaluation order, with its settings
        /// (<c>Threshold(Threshold=8000)</c>), then, when a time rule is on, <c>Lateness(AllowedLateness=..., IncludeLate=...)</c>;
        /// separated by <c>"; "</c>. Numbers are invariant and normalized (8000.00 reads 8000), times are
        /// <c>d.hh:mm:ss.fffffff</c> as TimeSpan's "c" format writes them. Two settings build the same rules exactly when
        /// their texts are equal.
        /// </summary>
        public override string ToString()
        {
            var text = new StringBuilder();
            if (!NoThreshold) Append(text, "Threshold", (nameof(Threshold), Format(Threshold)));
            if (Deviation is double deviations)
            {
                Append(text, "Outlier", (nameof(Deviation), deviations.ToString("R", CultureInfo.InvariantCulture)), (nameof(MinHistory), Format(MinHistory)));
            }
            if (MaxPerWindow is int maxPerWindow) Append(text, "Velocity", (nameof(MaxPerWindow), Format(maxPerWindow)), (nameof(Window), Format(Window)));
            if (SmallThenLarge)
            {
                Append(text, "SmallThenLarge", (nameof(SmallAmount), Format(SmallAmount)), (nameof(LargeAmount), Format(LargeAmount)),
                    (nameof(SmallThenLargeWindow), Format(SmallThenLargeWindow)));
            }
            if (MaxPerWindow.HasValue || SmallThenLarge)
            {
                Append(text, "Lateness", (nameof(AllowedLateness), Format(AllowedLateness)), (nameof(IncludeLate), IncludeLate ? "true" : "false"));
            }
            return text.ToString();
        }

        private static void Append(StringBuilder text, string rule, params (string Name, string Value)[] settings)
        {
            if (text.Length > 0) text.Append("; ");
            text.Append(rule).Append('(');
            for (var i = 0; i < settings.Length; i++)
            {
                if (i > 0) text.Append(", ");
                text.Append(settings[i].Name).Append('=').Append(settings[i].Value);
            }
            text.Append(')');
        }

        // Dividing by one with the most decimal places drops trailing zeros: 8000.00 and 8000 are one threshold.
        private static string Format(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

        private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

        private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

        // The rules name their constructor parameters; a refusal names the setting, and a window the one of the rule built.
        private static T Validated<T>(Func<T> create, string window)
        {
            try
            {
                return create();
            }
            catch (ArgumentOutOfRangeException exception)
            {
                throw new InvalidRuleSettingException(SettingOf(exception.ParamName, window), exception);
            }
        }

        private static string SettingOf(string? parameter, string window) => parameter switch
        {
            "deviations" => nameof(Deviation),
            "minHistory" => nameof(MinHistory),
            "maxPerWindow" => nameof(MaxPerWindow),
            "window" => window,
            "allowedLateness" => nameof(AllowedLateness),
            _ => parameter ?? string.Empty,
        };
    }
}
