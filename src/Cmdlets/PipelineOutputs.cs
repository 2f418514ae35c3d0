using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using AnomalyTools.Sinks;

namespace AnomalyTools.Commands
{
    /// <summary>
    /// The folders that Export-SuspiciousTransaction writes in the pipeline running in each runspace, so that
    /// Import-Transaction in the same pipeline can leave them alone: reading the sink's own parts would feed the output
    /// back in, endlessly with -Wait. A runspace runs one pipeline at a time (nested ones run inside it), so the runspace
    /// stands for the pipeline.
    /// </summary>
    internal static class PipelineOutputs
    {
        private static readonly object s_lock = new object();
        private static readonly object s_noRunspace = new object();
        private static readonly ConditionalWeakTable<object, List<string>> s_folders = new ConditionalWeakTable<object, List<string>>();

        private static object Key => (object?)Runspace.DefaultRunspace ?? s_noRunspace;

        /// <summary>Records that <paramref name="directory"/> is written until the result is disposed.</summary>
        public static IDisposable Register(string directory)
        {
            var folders = s_folders.GetValue(Key, _ => new List<string>());
            lock (s_lock) folders.Add(directory);
            return new Registration(folders, directory);
        }

        /// <summary>The folder written in this pipeline that <paramref name="path"/> is a part or an <c>_</c> entry of; null when none.</summary>
        public static string? SinkFolderOf(string path) =>
            Written().FirstOrDefault(folder => OutputFolder.IsSinkEntry(folder, path));

        /// <summary>Whether <paramref name="directory"/> is written in this pipeline.</summary>
        public static bool IsWritten(string directory) =>
            Written().Any(folder => OutputFolder.IsSame(folder, directory));

        private static string[] Written()
        {
            if (!s_folders.TryGetValue(Key, out var folders)) return Array.Empty<string>();
            lock (s_lock) return folders.ToArray();
        }

        private sealed class Registration : IDisposable
        {
            private readonly List<string> _folders;
            private readonly string _directory;
            private bool _disposed;

            public Registration(List<string> folders, string directory)
            {
                _folders = folders;
                _directory = directory;
            }

            public void Dispose()
            {
                lock (s_lock)
                {
                    if (_disposed) return;
                    _disposed = true;
                    _folders.Remove(_directory);
                }
            }
        }
    }
}
