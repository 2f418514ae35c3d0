using System;
using System.Management.Automation;
using AnomalyTools.Rules;

namespace AnomalyTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Keeps the suspicious transactions, each carrying the findings that explain why.</para>
    /// <para type="description">
    /// Select-SuspiciousTransaction judges each transaction as it arrives and passes on, in input order, those that a
    /// rule flags. Each one passed on carries Findings: for every rule that flagged it, the rule's name, a sentence that
    /// explains why, the measured value and the limit, the rule's settings and, for outliers, the customer's baseline.
    /// </para>
    /// <para type="description">
    /// Rules are combined by OR. The Threshold rule is on by default: an amount strictly greater than -Threshold (8000),
    /// so 8000.00 is not suspicious and 8000.01 is. The others are opt-in: Outlier (-Deviation: an amount more than k
    /// standard deviations above the mean of the customer's earlier amounts, once they have -MinHistory of them),
    /// Velocity (-MaxPerWindow: more than n transactions of one customer within the trailing -Window) and SmallThenLarge
    /// (an amount above -LargeAmount right after one below -SmallAmount, within -SmallThenLargeWindow).
    /// </para>
    /// <para type="description">
    /// The time rules use the transactions' timestamps (event time). A transaction further behind the latest timestamp
    /// than -AllowedLateness is not judged by them; it is counted and reported at the end, or passed on with a Late
    /// finding with -IncludeLate.
    /// </para>
    /// <para type="description">
    /// Objects from other sources are converted by their properties: rows of Import-Csv, ConvertFrom-Json objects,
    /// [pscustomobject]s and hashtables with transaction id, customer id and amount properties.
    /// </para>
    /// </summary>
    /// <example>
    /// <title>Keep the transactions above 8000</title>
    /// <code>Import-Transaction ./data/data.csv | Select-SuspiciousTransaction</code>
    /// <para>The exercise's job: the nine transactions of the sample whose amount is above 8000, each with a Threshold finding.</para>
    /// </example>
    /// <example>
    /// <title>Use a higher threshold and print why each one was kept</title>
    /// <code>
    /// Import-Transaction ./data/data.csv |
    ///     Select-SuspiciousTransaction -Threshold 9500 |
    ///     ForEach-Object { '{0} {1}: {2}' -f $_.TransactionId, $_.CustomerId, ($_.Findings.Message -join '; ') }
    /// </code>
    /// <para>Prints lines such as "1041 C002: amount 9822.37 exceeds the threshold 9500".</para>
    /// </example>
    /// <example>
    /// <title>Look for unusual behavior instead of large amounts</title>
    /// <code>
    /// Import-Transaction ./data/data.csv |
    ///     Select-SuspiciousTransaction -NoThreshold -Deviation 2 -MinHistory 3 -MaxPerWindow 2 -Window 00:10:00 -SmallThenLarge
    /// </code>
    /// <para>
    /// Flags amounts far above a customer's own usual ones, customers with more than two transactions within ten
    /// minutes, and a tiny amount followed by a large one; the threshold rule is off. Transaction 1046 of the sample has
    /// no timestamp: it is reported as MissingTimestamp, and the outlier rule still judges it.
    /// </para>
    /// </example>
    /// <example>
    /// <title>Take the rule settings from a file under version control</title>
    /// <code>Import-Transaction ./data/data.csv | Select-SuspiciousTransaction -RuleFile ./data/rules.psd1 -Threshold 9000</code>
    /// <para>
    /// The .psd1 file holds one hashtable keyed by this cmdlet's parameter names; it is parsed, never run, and each value
    /// is bound as the same value on the command line is. A parameter given on the command line, here -Threshold, wins
    /// over the file.
    /// </para>
    /// </example>
    /// <example>
    /// <title>Judge the rows of Import-Csv</title>
    /// <code>Import-Csv ./data/data.csv | Select-SuspiciousTransaction -ErrorAction SilentlyContinue</code>
    /// <para>
    /// Rows from other cmdlets are converted by their property names, with the same matching and parsing as
    /// Import-Transaction; rows that cannot be converted are reported as errors and skipped.
    /// </para>
    /// </example>
    /// <input type="AnomalyTools.Transaction">Transactions from Import-Transaction.</input>
    /// <input type="AnomalyTools.Transaction[]">Arrays of transactions, as Import-Transaction -ReadCount emits: each element is judged, and the suspicious ones are emitted one by one.</input>
    /// <input type="System.Management.Automation.PSObject">Any object with transaction id, customer id and amount properties, converted by name.</input>
    /// <output type="AnomalyTools.Transaction">The flagged transactions, in input order, each carrying its Findings.</output>
    /// <remarks>
    /// <para>
    /// Error ids: MissingRequiredValue, InvalidAmount and InvalidTimestamp for input objects that cannot be converted,
    /// MissingTimestamp for a transaction without a timestamp under a time rule (skipped); InvalidRuleSetting,
    /// NoRuleSelected and InvalidRuleFile stop the command. Warnings: LateTransactions, LateTransactionsIncluded, LatenessWithoutTimeRule.
    /// </para>
    /// <para>State is kept per customer and pruned to what the time windows need, so memory stays bounded on endless input.</para>
    /// </remarks>
    /// <related>Import-Transaction</related>
    /// <related>Export-SuspiciousTransaction</related>
    /// <related>about_AnomalyTools</related>
    /// <related href="https://github.com/anomalytools/AnomalyTools">Online documentation</related>
    [Cmdlet(VerbsCommon.Select, "SuspiciousTransaction")]
    [OutputType(typeof(Transaction))]
    public sealed partial class SelectSuspiciousTransactionCommand : PSCmdlet
    {
        private readonly TransactionInput _input = new TransactionInput();
        private readonly Action<Transaction> _judge;
        private readonly Action<ErrorRecord> _writeError;
        private SuspicionDetector? _detector;
        private RuleSettings? _settings;

        /// <summary>Creates the command.</summary>
        public SelectSuspiciousTransactionCommand()
        {
            _judge = Judge;
            _writeError = WriteError;
        }

        /// <summary>
        /// The transactions to judge: objects from Import-Transaction, or any objects with transaction id, customer id
        /// and amount properties (Import-Csv rows, ConvertFrom-Json objects, hashtables). An array, as Import-Transaction
        /// -ReadCount emits, stands for its elements.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>A transaction is suspicious when its amount is strictly greater than this; 8000 by default.</summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(ThresholdCompleter))]
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
        [ArgumentCompleter(typeof(IntervalCompleter))]
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
        [ArgumentCompleter(typeof(IntervalCompleter))]
        public TimeSpan SmallThenLargeWindow { get; set; } = SmallThenLargeRule.DefaultWindow;

        /// <summary>
        /// How far behind the latest timestamp seen a transaction may be and still be judged by the time rules (velocity,
        /// small-then-large); zero by default. Later ones are counted and reported at the end. Without a time rule nothing
        /// is late, and giving it is a warning.
        /// </summary>
        [Parameter]
        [IntervalTransformation]
        [ArgumentCompleter(typeof(IntervalCompleter))]
        public TimeSpan AllowedLateness { get; set; }

        /// <summary>Passes on the transactions that came later than -AllowedLateness, each with a Late finding. Without a time rule nothing is late, and giving it is a warning.</summary>
        [Parameter]
        public SwitchParameter IncludeLate { get; set; }

        /// <summary>
        /// A .psd1 file with rule settings, keyed by these parameters' names, each value bound as on the command line (a
        /// switch takes $true or $false, never text); parameters given on the command line win.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RuleFile { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            BeginChaining();
            var settings = new RuleSettings();
            var fileLines = RuleFile != null ? RuleSettingsFile.Apply(this, RuleFile, settings) : null;
            RuleSettingParameters.SetBound(settings, MyInvocation.BoundParameters);
            try
            {
                _detector = settings.CreateDetector();
            }
            catch (InvalidRuleSettingException exception)
            {
                var value = exception.Value ?? string.Empty;
                // A setting the rule file gave is refused as the file's, at its line, so the user knows what to fix where.
                if (fileLines != null && fileLines.TryGetValue(exception.Setting, out var line))
                {
                    RuleSettingsFile.Fail(this, SessionState.Path.GetUnresolvedProviderPathFromPSPath(RuleFile), line, RuleSettingsFile.InvalidValue(
                        line, exception.Setting, ErrorRecords.Message("InvalidRuleSetting", exception.Setting, value, exception.Reason)), exception.InnerException);
                }
                ThrowTerminatingError(ErrorRecords.Create("InvalidRuleSetting", ErrorCategory.InvalidArgument, exception.Value, exception.InnerException,
                    exception.Setting, value, exception.Reason));
            }
            if (_detector!.Rules.Count == 0)
            {
                ThrowTerminatingError(ErrorRecords.Create("NoRuleSelected", ErrorCategory.InvalidArgument, null, null));
            }
            if (!_detector.UsesTime && (settings.AllowedLateness != TimeSpan.Zero || settings.IncludeLate))
            {
                WriteWarning(ErrorRecords.Message("LatenessWithoutTimeRule", settings.AllowedLateness, settings.IncludeLate ? " -IncludeLate" : string.Empty));
            }
            _settings = settings;
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ReceivedFromPipeline(InputObject);
            if (InputObject is null) return;
            _input.ForEach(InputObject, _judge, _writeError);
            Output.EndOfRun();
        }

        private void Judge(Transaction transaction)
        {
            var inspection = _detector!.Inspect(transaction);
            if (inspection.MissingTimestamp)
            {
                var location = transaction.Source is null ? transaction.TransactionId
                    : transaction.LineNumber > 0 ? transaction.Source + ":" + transaction.LineNumber
                    : transaction.Source;
                WriteError(ErrorRecords.Create("MissingTimestamp", ErrorCategory.InvalidData, location, null, location, transaction.TransactionId));
            }
            if (inspection.Flagged != null) Output.Write(inspection.Flagged);
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (_detector!.LateCount > 0)
            {
                WriteWarning(ErrorRecords.Message(_settings!.IncludeLate ? "LateTransactionsIncluded" : "LateTransactions", _detector.LateCount, _settings.AllowedLateness));
            }
        }
    }
}
