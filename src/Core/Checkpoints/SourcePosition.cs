using System;
using System.Collections.Generic;
using System.Text;
using AnomalyTools.Platform;

namespace AnomalyTools.Checkpoints
{
    /// <summary>
    /// How far the committed output covers one input: a file's line (<see cref="FilePosition"/>) or a partition's next
    /// offset (<see cref="PartitionOffset"/>). A checkpoint records one per input; a resumed run asks
    /// <see cref="InputPositions"/> where each input continues.
    /// </summary>
    public abstract class SourcePosition
    {
        private const string PartitionKeyPrefix = "partition:";

        private protected SourcePosition()
        {
        }

        /// <summary>
        /// Names the input the position is in, the same for every position in it: a file's full path, or
        /// <c>partition:topic/partition</c>.
        /// </summary>
        public abstract string InputKey { get; }

        /// <summary>Whether this position is further into the same input than <paramref name="other"/>.</summary>
        /// <exception cref="ArgumentException"><paramref name="other"/> is in another input.</exception>
        public abstract bool IsLaterThan(SourcePosition other);

        /// <summary>
        /// How input keys compare: a file's path as the file system compares paths (ignoring case on Windows), a
        /// partition's exactly.
        /// </summary>
        public static IEqualityComparer<string> InputKeyComparer { get; } = new KeyComparer();

        internal static string PartitionKey(string topic, int partition) =>
            PartitionKeyPrefix + topic + "/" + partition.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>Appends the position's line of the checkpoint file, its <c>\n</c> included.</summary>
        internal abstract void AppendJournalLine(StringBuilder text);

        /// <summary>The position that a line of a checkpoint file holds; null when the line is not a valid position.</summary>
        internal static SourcePosition? ParseJournalLine(string line)
        {
            var fields = line.Split('\t');
            switch (fields[0])
            {
                case FilePosition.JournalTag:
                    return FilePosition.Parse(fields);
                case PartitionOffset.JournalTag:
                    return PartitionOffset.Parse(fields);
                default:
                    return null;
            }
        }

        private protected void ThrowIfOtherInput(SourcePosition other)
        {
            if (other is null) throw new ArgumentNullException(nameof(other));
            if (other.GetType() != GetType() || !InputKeyComparer.Equals(other.InputKey, InputKey))
            {
                throw new ArgumentException("The positions are in different inputs.", nameof(other));
            }
        }

        private sealed class KeyComparer : IEqualityComparer<string>
        {
            public bool Equals(string? x, string? y) =>
                IsPartition(x) || IsPartition(y) ? string.Equals(x, y, StringComparison.Ordinal) : FilePaths.Comparer.Equals(x, y);

            public int GetHashCode(string key) =>
                IsPartition(key) ? StringComparer.Ordinal.GetHashCode(key) : FilePaths.Comparer.GetHashCode(key);

            private static bool IsPartition(string? key) => key != null && key.StartsWith(PartitionKeyPrefix, StringComparison.Ordinal);
        }
    }
}
