using System;

namespace AnomalyTools.Checkpoints
{
    /// <summary>
    /// The checkpoints kept in the output folder itself, under <c>_checkpoints/</c> (<see cref="CheckpointJournal"/>):
    /// a part counts as published when its committed file exists in the folder.
    /// </summary>
    public sealed class FolderCheckpointStore : ICheckpointStore
    {
        private readonly string _directory;
        private readonly int _subtask;

        /// <summary>The checkpoints of the writer <paramref name="subtask"/> into the output folder <paramref name="directory"/>.</summary>
        public FolderCheckpointStore(string directory, int subtask = 0)
        {
            if (string.IsNullOrEmpty(directory)) throw new ArgumentException("A folder is required.", nameof(directory));
            _directory = directory;
            _subtask = subtask;
        }

        /// <summary>The committed checkpoint file of the writer.</summary>
        public string Location => CheckpointJournal.PathOf(_directory, _subtask);

        /// <inheritdoc />
        public void WritePending(Checkpoint checkpoint) => CheckpointJournal.WritePending(_directory, _subtask, checkpoint);

        /// <inheritdoc />
        public void CompletePending() => CheckpointJournal.CompletePending(_directory, _subtask);

        /// <inheritdoc />
        public Checkpoint? Recover() => CheckpointJournal.Recover(_directory, _subtask);

        /// <inheritdoc />
        public InputPositions ReadPositions() => CheckpointJournal.ReadPositions(_directory);

        /// <inheritdoc />
        public void RecordNextPart(long nextCounter) => CheckpointJournal.RecordNextPart(_directory, _subtask, nextCounter);

        /// <inheritdoc />
        public long ReadNextPart() => CheckpointJournal.ReadNextPart(_directory, _subtask);
    }
}
