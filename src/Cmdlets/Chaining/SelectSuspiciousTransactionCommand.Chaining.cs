using System;
using System.Management.Automation;
using AnomalyTools.Commands.Chaining;

namespace AnomalyTools.Commands
{
    // Chaining, both sides: Import-Transaction may hand this cmdlet arrays, and this cmdlet may hand
    // Export-SuspiciousTransaction arrays of the flagged transactions of each input. Every other record written first
    // hands over what is held, so that records keep their place among the transactions.
    public sealed partial class SelectSuspiciousTransactionCommand : IDisposable
    {
        private HandOver? _handOver;
        private PipelineNeighbours.Neighbour? _upstreamLink;

        private HandOver Output => _handOver ??= new HandOver(this, null);

        /// <inheritdoc />
        public void Dispose() => _upstreamLink?.Dispose();

        private void BeginChaining() => _upstreamLink = PipelineNeighbours.Register(this);

        private void ReceivedFromPipeline(PSObject? input) => _upstreamLink?.Received(input);

        private new void WriteError(ErrorRecord errorRecord)
        {
            _handOver?.BeforeOtherRecord();
            base.WriteError(errorRecord);
        }

        private new void WriteWarning(string text)
        {
            _handOver?.BeforeOtherRecord();
            base.WriteWarning(text);
        }

        private new void WriteVerbose(string text)
        {
            _handOver?.BeforeOtherRecord();
            base.WriteVerbose(text);
        }
    }
}
