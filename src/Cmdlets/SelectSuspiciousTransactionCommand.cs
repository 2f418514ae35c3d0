using System;
using System.Collections.Generic;
using System.Management.Automation;
using AnomalyTools.Rules;

namespace AnomalyTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Keeps the suspicious transactions, each carrying the findings that explain why.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Select, "SuspiciousTransaction")]
    [OutputType(typeof(Transaction))]
    public sealed class SelectSuspiciousTransactionCommand : PSCmdlet
    {
        private readonly TransactionInput _input = new TransactionInput();
        private SuspicionDetector? _detector;

        /// <summary>
        /// The transactions to judge: objects from Import-Transaction, or any objects with transaction id, customer id
        /// and amount properties (Import-Csv rows, ConvertFrom-Json objects, hashtables).
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>A transaction is suspicious when its amount is strictly greater than this; 8000 by default.</summary>
        [Parameter(Position = 0)]
        public decimal Threshold { get; set; } = ThresholdRule.DefaultThreshold;

        /// <summary>Turns the threshold rule off, for a user who asks only for other rules.</summary>
        [Parameter]
        public SwitchParameter NoThreshold { get; set; }

        /// <summary>
        /// Turns the outlier rule on: flags an amount more than this many standard deviations above the mean of the
        /// customer's earlier amounts.
        /// </summary>
        [Parameter]
        public double? Deviation { get; set; }

        /// <summary>The outlier rule judges a customer once they have this many earlier transactions; 10 by default.</summary>
        [Parameter]
        public int MinHistory { get; set; } = OutlierRule.DefaultMinHistory;

        /// <summary>Turns the velocity rule on: flags a transaction when its customer has more than this many within -Window, counting it.</summary>
        [Parameter]
        public int? MaxPerWindow { get; set; }

        /// <summary>The velocity rule's trailing window (t - window, t]; one minute by default. Seconds or a TimeSpan.</summary>
        [Parameter]
        [IntervalTransformation]
        public TimeSpan Window { get; set; } = VelocityRule.DefaultWindow;

        /// <summary>Turns the small-then-large rule on: an amount above -LargeAmount right after one below -SmallAmount, within -SmallThenLargeWindow.</summary>
        [Parameter]
        public SwitchParameter SmallThenLarge { get; set; }

        /// <summary>The small-then-large rule's first amount is strictly below this; 1.00 by default.</summary>
        [Parameter]
        public decimal SmallAmount { get; set; } = SmallThenLargeRule.DefaultSmallAmount;

        /// <summary>The small-then-large rule's second amount is strictly above this; 500.00 by default.</summary>
        [Parameter]
        public decimal LargeAmount { get; set; } = SmallThenLargeRule.DefaultLargeAmount;

        /// <summary>The small-then-large rule's longest time between the two amounts; one minute by default. Seconds or a TimeSpan.</summary>
        [Parameter]
        [IntervalTransformation]
        public TimeSpan SmallThenLargeWindow { get; set; } = SmallThenLargeRule.DefaultWindow;

        /// <summary>
        /// How far behind the latest timestamp seen a transaction may be and still be judged by the time rules (velocity,
        /// small-then-large); zero by default. Later ones are counted and reported at the end.
        /// </summary>
        [Parameter]
        [IntervalTransformation]
        public TimeSpan AllowedLateness { get; set; }

        /// <summary>Passes on the transactions that came later than -AllowedLateness, each with a Late finding.</summary>
        [Parameter]
        public SwitchParameter IncludeLate { get; set; }

        /// <summary>A .psd1 file with rule settings, keyed by these parameters' names; parameters given on the command line win.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RuleFile { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            if (RuleFile != null) RuleSettingsFile.Apply(this, RuleFile);
            var rules = new List<ISuspicionRule>();
            try
            {
                if (!NoThreshold) rules.Add(new ThresholdRule(Threshold));
                if (Deviation is double deviations) rules.Add(new OutlierRule(deviations, MinHistory));
                if (MaxPerWindow is int maxPerWindow) rules.Add(new VelocityRule(maxPerWindow, Window, AllowedLateness));
                if (SmallThenLarge) rules.Add(new SmallThenLargeRule(SmallAmount, LargeAmount, SmallThenLargeWindow, AllowedLateness));
                _detector = new SuspicionDetector(rules, AllowedLateness, IncludeLate);
            }
            catch (ArgumentOutOfRangeException exception)
            {
                ThrowTerminatingError(ErrorRecords.Create("InvalidRuleSetting", ErrorCategory.InvalidArgument, exception.ActualValue, exception,
                    SettingName(exception.ParamName), exception.ActualValue ?? string.Empty, exception.Message.Split('\n')[0].Trim()));
            }
            if (rules.Count == 0)
            {
                ThrowTerminatingError(ErrorRecords.Create("NoRuleSelected", ErrorCategory.InvalidArgument, null, null));
            }
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (InputObject is null) return;
            if (!_input.TryGetTransaction(InputObject, out var transaction, out var error))
            {
                WriteError(error);
                return;
            }
            var inspection = _detector!.Inspect(transaction!);
            if (inspection.MissingTimestamp)
            {
                var location = transaction!.Source is null ? transaction.TransactionId : transaction.Source + ":" + transaction.LineNumber;
                WriteError(ErrorRecords.Create("MissingTimestamp", ErrorCategory.InvalidData, location, null, location, transaction.TransactionId));
            }
            if (inspection.Flagged != null) WriteObject(inspection.Flagged);
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (_detector!.LateCount > 0)
            {
                WriteWarning(ErrorRecords.Message(IncludeLate ? "LateTransactionsIncluded" : "LateTransactions", _detector.LateCount, AllowedLateness));
            }
        }

        // The Core rules name their constructor parameters; the user knows the cmdlet's.
        private static string SettingName(string? parameter) => parameter switch
        {
            "deviations" => nameof(Deviation),
            "minHistory" => nameof(MinHistory),
            "maxPerWindow" => nameof(MaxPerWindow),
            "window" => "Window or SmallThenLargeWindow",
            "allowedLateness" => nameof(AllowedLateness),
            _ => parameter ?? string.Empty,
        };
    }
}
