using System;
using System.Linq;
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
        private static readonly RunspaceRegistry<string> s_folders = new RunspaceRegistry<string>();

        /// <summary>Records that <paramref name="directory"/> is written until the result is disposed.</summary>
        public static IDisposable Register(string directory) => s_folders.Register(directory);

        /// <summary>The folder written in this pipeline that <paramref name="path"/> is a part or an <c>_</c> entry of; null when none.</summary>
        public static string? SinkFolderOf(string path) =>
            s_folders.Registered().FirstOrDefault(folder => OutputFolder.IsSinkEntry(folder, path));

        /// <summary>Whether <paramref name="directory"/> is written in this pipeline.</summary>
        public static bool IsWritten(string directory) =>
            s_folders.Registered().Any(folder => OutputFolder.IsSame(folder, directory));
    }
}
