using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using System.Threading;

namespace AnomalyTools.Commands.Chaining
{
    /// <summary>
    /// The downstream cmdlets of this module that have begun in each runspace, so that the cmdlet right before one of them
    /// in the same pipeline can recognise it. PowerShell runs every command's begin before the first command's process,
    /// so a downstream cmdlet has registered before its upstream neighbour writes anything.
    /// </summary>
    internal static class PipelineNeighbours
    {
        private static readonly object s_lock = new object();
        private static readonly object s_noRunspace = new object();
        private static readonly ConditionalWeakTable<object, List<Neighbour>> s_registered = new ConditionalWeakTable<object, List<Neighbour>>();

        private static readonly ConditionalWeakTable<object, StrongBox<long>> s_chainedArrays = new ConditionalWeakTable<object, StrongBox<long>>();

        private static object Key => (object?)Runspace.DefaultRunspace ?? s_noRunspace;

        /// <summary>Makes <paramref name="downstream"/> known to its upstream neighbour until the result is disposed.</summary>
        public static Neighbour Register(PSCmdlet downstream)
        {
            var registered = s_registered.GetValue(Key, _ => new List<Neighbour>());
            var neighbour = new Neighbour(downstream.MyInvocation, registered);
            lock (s_lock) registered.Add(neighbour);
            return neighbour;
        }

        /// <summary>
        /// The registered cmdlets that have received nothing yet and that the pipeline's text puts right after
        /// <paramref name="upstream"/>; each is confirmed (or not) by what it receives first.
        /// </summary>
        public static IReadOnlyList<Neighbour> CandidatesAfter(InvocationInfo upstream)
        {
            if (!s_registered.TryGetValue(Key, out var registered)) return new Neighbour[0];
            Neighbour[] all;
            lock (s_lock) all = registered.ToArray();
            var candidates = all.Where(neighbour => !neighbour.HasReceived && neighbour.Invocation.PipelineLength == upstream.PipelineLength
                && neighbour.Invocation.PipelinePosition == upstream.PipelinePosition + 1).ToList();
            if (candidates.Count == 0) return candidates;
            var next = PipelineText.NextElement(upstream);
            return next is null ? new Neighbour[0] : candidates.Where(neighbour => next.IsAt(neighbour.Invocation)).ToList();
        }

        /// <summary>How many arrays chained cmdlets have handed over in <paramref name="runspace"/>: what shows that chaining happened, where nothing else may.</summary>
        public static long ChainedArrays(Runspace runspace) => s_chainedArrays.TryGetValue(runspace, out var count) ? Interlocked.Read(ref count.Value) : 0;

        /// <summary>Counts an array handed over by a chained cmdlet.</summary>
        public static void CountChainedArray() => Interlocked.Increment(ref s_chainedArrays.GetValue(Key, _ => new StrongBox<long>()).Value);

        /// <summary>A registered downstream cmdlet: what it received first tells its upstream neighbour that it is the one.</summary>
        internal sealed class Neighbour : System.IDisposable
        {
            private readonly List<Neighbour> _registered;

            public Neighbour(InvocationInfo invocation, List<Neighbour> registered)
            {
                Invocation = invocation;
                _registered = registered;
            }

            public InvocationInfo Invocation { get; }

            public bool HasReceived { get; private set; }

            public object? FirstReceived { get; private set; }

            /// <summary>Called with each pipeline input; only the first is kept.</summary>
            public void Received(PSObject? input)
            {
                if (HasReceived) return;
                HasReceived = true;
                FirstReceived = input?.BaseObject;
            }

            public void Dispose()
            {
                lock (s_lock) _registered.Remove(this);
            }
        }
    }
}
