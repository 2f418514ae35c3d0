using System;
using System.Linq;
using AnomalyTools.Checkpoints;
using AnomalyTools.Sinks;

namespace AnomalyTools.Commands
{
    /// <summary>
    /// The sinks of Export-SuspiciousTransaction in the pipeline running in each runspace that tell how far their output
    /// covers the inputs: a part-file sink (by its folder) and a Kafka alert sink (no folder). Import-Transaction reading
    /// Kafka in the same pipeline subscribes, so that the consumer group's offsets follow the output. A runspace runs one
    /// pipeline at a time, so the runspace stands for the pipeline, as in <see cref="PipelineOutputs"/>.
    /// </summary>
    internal static class PipelineCheckpoints
    {
        private static readonly RunspaceRegistry<Entry> s_sinks = new RunspaceRegistry<Entry>();

        /// <summary>Records that <paramref name="sink"/> writes <paramref name="folder"/> (null: not a folder) until the result is disposed.</summary>
        public static IDisposable Register(IPositionsCommitted sink, string? folder) => s_sinks.Register(new Entry(sink, folder));

        /// <summary>The sink that writes <paramref name="folder"/> in this pipeline, or with null one that writes no folder; null when none.</summary>
        public static IPositionsCommitted? Find(string? folder) =>
            s_sinks.Registered().FirstOrDefault(entry => folder is null ? entry.Folder is null : entry.Folder != null && OutputFolder.IsSame(entry.Folder, folder))?.Sink;

        private sealed class Entry
        {
            public Entry(IPositionsCommitted sink, string? folder)
            {
                Sink = sink;
                Folder = folder;
            }

            public IPositionsCommitted Sink { get; }

            public string? Folder { get; }
        }
    }
}
