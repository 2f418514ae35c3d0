using System.Management.Automation;
using AnomalyTools.Commands.Chaining;

namespace AnomalyTools.Commands
{
    // Chaining, downstream side: makes this cmdlet known to Select-SuspiciousTransaction right before it, which may then
    // hand over arrays; ProcessRecord takes an array as its elements either way.
    public sealed partial class ExportSuspiciousTransactionCommand
    {
        private PipelineNeighbours.Neighbour? _upstreamLink;

        private void BeginChaining() => _upstreamLink = PipelineNeighbours.Register(this);

        private void ReceivedFromPipeline(PSObject? input) => _upstreamLink?.Received(input);

        private void EndChaining() => _upstreamLink?.Dispose();
    }
}
