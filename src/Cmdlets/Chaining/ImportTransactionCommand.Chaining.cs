using System.Management.Automation;
using AnomalyTools.Commands.Chaining;

namespace AnomalyTools.Commands
{
    // Chaining, upstream side: transactions go through the hand-over, and every other record written first hands over
    // what it holds, so that records keep their place among the transactions (also merged with 2>&1 or 3>&1).
    public sealed partial class ImportTransactionCommand
    {
        private HandOver? _handOver;

        private HandOver Output => _handOver ??= new HandOver(this, MyInvocation.BoundParameters.ContainsKey(nameof(ReadCount)) ? ReadCount : (int?)null);

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

        private new void WriteDebug(string text)
        {
            _handOver?.BeforeOtherRecord();
            base.WriteDebug(text);
        }

        private new void ThrowTerminatingError(ErrorRecord errorRecord)
        {
            _handOver?.BeforeOtherRecord();
            base.ThrowTerminatingError(errorRecord);
        }
    }
}
