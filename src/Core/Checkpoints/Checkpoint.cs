using System;
using System.Collections.Generic;

namespace AnomalyTools.Checkpoints
{
    /// <summary>What one committed part brings the output to: the part, and how far every input is covered with it.</summary>
    public sealed class Checkpoint
    {
        /// <summary>Creates a checkpoint.</summary>
        /// <param name="part">The committed part's path relative to the output folder, with <c>/</c> between folders.</param>
        /// <param name="inputs">The positions of every input the output covers, this part's and earlier parts'.</param>
        public Checkpoint(string part, IReadOnlyList<SourcePosition> inputs)
        {
            if (string.IsNullOrEmpty(part)) throw new ArgumentException("A part is required.", nameof(part));
            Part = part;
            Inputs = inputs ?? throw new ArgumentNullException(nameof(inputs));
        }

        /// <summary>The committed part's path relative to the output folder, with <c>/</c> between folders.</summary>
        public string Part { get; }

        /// <summary>The positions of every input the output covers: files' lines, partitions' offsets.</summary>
        public IReadOnlyList<SourcePosition> Inputs { get; }
    }
}
