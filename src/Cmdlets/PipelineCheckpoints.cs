using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using AnomalyTools.Sinks;
using AnomalyTools.Sinks.PartFiles;

namespace AnomalyTools.Commands
{
    /// <summary>
    /// The part-file sinks that Export-SuspiciousTransaction writes in the pipeline running in each runspace, so that
    /// Import-Transaction resuming from the same folder can learn what each part commit covers (and tell a Kafka consumer
    /// group). A runspace runs one pipeline at a time, so the runspace stands for the pipeline, as in <see cref="PipelineOutputs"/>.
    /// </summary>
    internal static class PipelineCheckpoints
    {
        private static readonly object s_lock = new object();
        private static readonly object s_noRunspace = new object();
        private static readonly ConditionalWeakTable<object, List<KeyValuePair<string, PartFileSink>>> s_sinks =
            new ConditionalWeakTable<object, List<KeyValuePair<string, PartFileSink>>>();

        private static object Key => (object?)Runspace.DefaultRunspace ?? s_noRunspace;

        /// <summary>Records that <paramref name="sink"/> writes <paramref name="directory"/> until the result is disposed.</summary>
        public static IDisposable Register(string directory, PartFileSink sink)
        {
            var sinks = s_sinks.GetValue(Key, _ => new List<KeyValuePair<string, PartFileSink>>());
            var entry = new KeyValuePair<string, PartFileSink>(directory, sink);
            lock (s_lock) sinks.Add(entry);
            return new Registration(sinks, entry);
        }

        /// <summary>The sink that writes <paramref name="directory"/> in this pipeline; null when none does.</summary>
        public static PartFileSink? SinkWriting(string directory)
        {
            if (!s_sinks.TryGetValue(Key, out var sinks)) return null;
            lock (s_lock) return sinks.Where(entry => OutputFolder.IsSame(entry.Key, directory)).Select(entry => entry.Value).FirstOrDefault();
        }

        private sealed class Registration : IDisposable
        {
            private readonly List<KeyValuePair<string, PartFileSink>> _sinks;
            private readonly KeyValuePair<string, PartFileSink> _entry;

            public Registration(List<KeyValuePair<string, PartFileSink>> sinks, KeyValuePair<string, PartFileSink> entry)
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
