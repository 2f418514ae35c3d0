using System;
using System.Linq;
using System.Management.Automation;

namespace AnomalyTools.Commands.Chaining
{
    /// <summary>
    /// How an upstream cmdlet writes its transactions: one by one, in arrays of -ReadCount, or, when its only consumer is
    /// the next cmdlet of this module and nothing else can see the stream between the two, in arrays chosen for it
    /// (chaining). The downstream cmdlets take an array as its elements, so a chained pipeline gives the same objects,
    /// errors and files as an unchained one, with far fewer objects crossing the engine.
    /// </summary>
    internal sealed class HandOver
    {
        /// <summary>The size of a chained array: large enough that the engine's cost per object vanishes, small enough to stay in cache.</summary>
        public const int ChainedBatchSize = 1000;

        // Common parameters that let something else see the upstream cmdlet's output object by object.
        private static readonly string[] s_observingParameters = { "OutVariable", "PipelineVariable", "OutBuffer" };

        // Breakpoints and trace sources are the ways to observe the hand-over itself that public API shows; the cmdlets
        // are taken as cmdlets, so that no function of the same name can answer for them.
        private const string ObservedScript = "@(& $args[0]).Count + @((& $args[1]).Where({ $_.Options -ne 'None' })).Count";

        private readonly PSCmdlet _owner;
        private Mode _mode;
        private int _batchSize;
        private Transaction[]? _batch;
        private int _count;

        /// <summary>
        /// <paramref name="readCount"/> is the size of the arrays the user asked for (1 for single objects), or null when
        /// the user did not choose, which lets the cmdlet chain.
        /// </summary>
        public HandOver(PSCmdlet owner, int? readCount)
        {
            _owner = owner;
            if (readCount is int size)
            {
                _mode = size > 1 ? Mode.ReadCount : Mode.Single;
                _batchSize = size;
            }
            else
            {
                _mode = Mode.Undecided;
            }
        }

        private enum Mode
        {
            Undecided,
            Single,
            ReadCount,
            Chained,
        }

        /// <summary>Whether the transactions are handed to the next cmdlet of this module in arrays chosen for it.</summary>
        public bool IsChained => _mode == Mode.Chained;

        /// <summary>Writes <paramref name="transaction"/>, or keeps it for the array being filled.</summary>
        public void Write(Transaction transaction)
        {
            switch (_mode)
            {
                case Mode.Single:
                    _owner.WriteObject(transaction);
                    return;
                case Mode.Undecided:
                    Decide(transaction);
                    return;
                default:
                    _batch ??= new Transaction[_batchSize];
                    _batch[_count++] = transaction;
                    if (_count == _batchSize) WriteBatch();
                    return;
            }
        }

        /// <summary>
        /// Writes the array being filled: at the end of a file, when following has caught up, at the end of an input; so
        /// that an array never waits for rows that may not come.
        /// </summary>
        public void EndOfRun() => WriteBatch();

        /// <summary>
        /// Called before an error, warning or message is written: a chained cmdlet first hands over what it holds, so that
        /// the record comes after the transactions read before it, as without chaining.
        /// </summary>
        public void BeforeOtherRecord()
        {
            if (_mode == Mode.Chained) WriteBatch();
        }

        // The first transaction goes alone; the registered neighbour that receives it is the next command of this very
        // pipeline, and chaining starts with the second.
        private void Decide(Transaction first)
        {
            var candidates = PipelineNeighbours.CandidatesAfter(_owner.MyInvocation);
            if (candidates.Count > 0 && !MayChain()) candidates = Array.Empty<PipelineNeighbours.Neighbour>();
            _mode = Mode.Single;
            _owner.WriteObject(first);
            if (candidates.Any(candidate => ReferenceEquals(candidate.FirstReceived, first)))
            {
                _mode = Mode.Chained;
                _batchSize = ChainedBatchSize;
            }
        }

        private bool MayChain()
        {
            var bound = _owner.MyInvocation.BoundParameters;
            if (s_observingParameters.Any(bound.ContainsKey)) return false;
            var breakpoints = _owner.InvokeCommand.GetCmdlet("Get-PSBreakpoint");
            var traceSources = _owner.InvokeCommand.GetCmdlet("Get-TraceSource");
            if (breakpoints is null || traceSources is null) return false;
            try
            {
                var observed = _owner.InvokeCommand.InvokeScript(ObservedScript, breakpoints, traceSources);
                return observed.Count == 1 && observed[0]?.BaseObject is int count && count == 0;
            }
            catch (RuntimeException)
            {
                // What cannot be checked may be observed: no chaining.
                return false;
            }
        }

        private void WriteBatch()
        {
            if (_count == 0) return;
            // One transaction held goes as itself: an array of one would spare the engine nothing.
            if (_count == 1 && _mode == Mode.Chained)
            {
                _count = 0;
                _owner.WriteObject(_batch![0]);
                return;
            }
            var batch = _batch!;
            if (_count < batch.Length) Array.Resize(ref batch, _count);
            _batch = null;
            _count = 0;
            if (_mode == Mode.Chained) PipelineNeighbours.CountChainedArray();
            _owner.WriteObject(batch);
        }
    }
}
