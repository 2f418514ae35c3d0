namespace AnomalyTools.Checkpoints
{
    /// <summary>
    /// Where a sink keeps its checkpoints, and where a resumed run reads how far the output covers each input. The sink
    /// commits each part in phases (see <see cref="Sinks.PartFiles.PartFileSink"/>): its checkpoint is written pending
    /// before the part is published, and completed after; <see cref="Recover"/> finishes or undoes a commit that a crash
    /// cut between the two. One store serves one writer (a subtask) of an output; <see cref="ReadPositions"/> reads every
    /// writer's.
    /// </summary>
    public interface ICheckpointStore
    {
        /// <summary>Where the store keeps the writer's checkpoint, for messages.</summary>
        string Location { get; }

        /// <summary>Writes, durably, the checkpoint of a part about to be published, beside the current one.</summary>
        /// <exception cref="System.IO.IOException">It cannot be written.</exception>
        void WritePending(Checkpoint checkpoint);

        /// <summary>Makes the pending checkpoint the current one, durably, once its part has been published.</summary>
        /// <exception cref="System.IO.IOException">It cannot be completed.</exception>
        void CompletePending();

        /// <summary>
        /// Finishes what a crash interrupted: completes a pending checkpoint whose part was published (the
        /// complete-checkpoint phase, redone), drops one whose part was not (the commit, undone). Returns the current
        /// checkpoint, or null when there is none.
        /// </summary>
        /// <exception cref="System.IO.InvalidDataException">The current checkpoint is damaged.</exception>
        /// <exception cref="System.IO.IOException">The checkpoints cannot be read or changed.</exception>
        Checkpoint? Recover();

        /// <summary>
        /// How far the published output of every writer covers the inputs, read without changing anything: a pending
        /// checkpoint counts when its part was published.
        /// </summary>
        /// <exception cref="System.IO.InvalidDataException">A current checkpoint is damaged.</exception>
        /// <exception cref="System.IO.IOException">The checkpoints cannot be read.</exception>
        InputPositions ReadPositions();

        /// <summary>Records durably that part numbers below <paramref name="nextCounter"/> have been used, so that they never come back.</summary>
        /// <exception cref="System.IO.IOException">It cannot be written.</exception>
        void RecordNextPart(long nextCounter);

        /// <summary>The first part number that <see cref="RecordNextPart"/> recorded as unused; 0 when none was recorded.</summary>
        /// <exception cref="System.IO.InvalidDataException">The record is damaged.</exception>
        /// <exception cref="System.IO.IOException">It cannot be read.</exception>
        long ReadNextPart();
    }
}
