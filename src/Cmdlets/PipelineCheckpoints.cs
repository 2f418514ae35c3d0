using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
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
        private static readonly object s_lock = new object();
        private static readonly object s_noRunspace = new object();
        private static readonly ConditionalWeakTable<object, List<Entry>> s_sinks = new ConditionalWeakTable<object, List<Entry>>();

        private static object Key => (object?)Runspace.DefaultRunspace ?? s_noRunspace;

        /// <summary>Records that <paramref name="sink"/> writes <paramref name="folder"/> (null: not a folder) until the result is disposed.</summary>
        public static IDisposable Register(IPositionsCommitted sink, string? folder)
        {
            var sinks = s_sinks.GetValue(Key, _ => new List<Entry>());
            var entry = new Entry(sink, folder);
            lock (s_lock) sinks.Add(entry);
            return new Registration(sinks, entry);
        }

        /// <summary>The sink that writes <paramref name="folder"/> in this pipeline, or with null one that writes no folder; null when none.</summary>
        public static IPositionsCommitted? Find(string? folder)
        {
            if (!s_sinks.TryGetValue(Key, out var sinks)) return null;
            lock (s_lock)
            {
                return sinks.FirstOrDefault(entry => folder is null ? entry.Folder is null : entry.Folder != null && OutputFolder.IsSame(entry.Folder, folder))?.Sink;
            }
        }

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

        private sealed class Registration : IDisposable
        {
            private readonly List<Entry> _sinks;
            private readonly Entry _entry;

            public Registration(List<Entry> sinks, Entry entry)
            {
                _sinks = sinks;
                _entry = entry;
            }

            public void Dispose()
            {
                lock (s_lock) _sinks.Remove(_entry);
            }
        }
    }
}
