using System;
using System.Globalization;
using System.IO;
using AnomalyTools.Checkpoints;

namespace AnomalyTools.Sinks
{
    /// <summary>
    /// Keeps a second writer with the same subtask out of an output folder while a sink writes into it: the two would
    /// number parts alike, and each would roll back the other's part in progress. The lock is a file opened for exclusive
    /// use (an advisory lock on Unix, a sharing lock on Windows), so it ends with the process, however that ends.
    /// </summary>
    internal sealed class OutputLock : IDisposable
    {
        private readonly FileStream _file;

        private OutputLock(FileStream file)
        {
            _file = file;
        }

        /// <exception cref="OutputInUseException">Another writer holds the lock.</exception>
        public static OutputLock Acquire(string directory, int subtask)
        {
            var folder = Path.Combine(directory, CheckpointJournal.DirectoryName);
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, "writer-" + subtask.ToString(CultureInfo.InvariantCulture) + ".lock");
            try
            {
                return new OutputLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException exception) when (!(exception is FileNotFoundException || exception is DirectoryNotFoundException))
            {
                throw new OutputInUseException(string.Format(CultureInfo.CurrentCulture, ErrorMessages.OutputInUse, directory, subtask), exception);
            }
        }

        public void Dispose() => _file.Dispose();
    }
}
