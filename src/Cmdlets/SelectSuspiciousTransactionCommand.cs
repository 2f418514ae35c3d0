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

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            _detector = new SuspicionDetector(new ISuspicionRule[] { new ThresholdRule(Threshold) });
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
            var flagged = _detector!.Inspect(transaction!);
            if (flagged != null) WriteObject(flagged);
        }
    }
}
