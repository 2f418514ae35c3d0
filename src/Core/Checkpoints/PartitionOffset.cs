using System;
using System.Globalization;
using System.Text;

namespace AnomalyTools.Checkpoints
{
    /// <summary>
    /// How far the committed output covers one partition of a topic (Kafka's): every record before
    /// <see cref="NextOffset"/> was either committed or judged not suspicious, so a resumed run reads from it.
    /// </summary>
    public sealed class PartitionOffset : SourcePosition
    {
        internal const string JournalTag = "partition";

        /// <summary>Creates a position.</summary>
        /// <param name="topic">The topic's name.</param>
        /// <param name="partition">The partition's number, 0 or more.</param>
        /// <param name="nextOffset">The offset of the first record not covered: the last covered record's offset plus one.</param>
        public PartitionOffset(string topic, int partition, long nextOffset)
        {
            if (string.IsNullOrEmpty(topic)) throw new ArgumentException("A topic is required.", nameof(topic));
            if (partition < 0) throw new ArgumentOutOfRangeException(nameof(partition));
            if (nextOffset < 0) throw new ArgumentOutOfRangeException(nameof(nextOffset));
            Topic = topic;
            Partition = partition;
            NextOffset = nextOffset;
            InputKey = PartitionKey(topic, partition);
        }

        /// <summary>The topic's name.</summary>
        public string Topic { get; }

        /// <summary>The partition's number.</summary>
        public int Partition { get; }

        /// <summary>The offset a resumed run reads from: the last covered record's offset plus one.</summary>
        public long NextOffset { get; }

        /// <summary><c>partition:topic/partition</c>.</summary>
        public override string InputKey { get; }

        /// <inheritdoc />
        public override bool IsLaterThan(SourcePosition other)
        {
            ThrowIfOtherInput(other);
            return NextOffset > ((PartitionOffset)other).NextOffset;
        }

        // partition<TAB>next offset<TAB>partition<TAB>escaped topic
        internal override void AppendJournalLine(StringBuilder text) =>
            text.Append(JournalTag).Append('\t')
                .Append(NextOffset.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(Partition.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(Uri.EscapeDataString(Topic)).Append('\n');

        internal static PartitionOffset? Parse(string[] fields)
        {
            if (fields.Length != 4 || fields[3].Length == 0
                || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var nextOffset)
                || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
            {
                return null;
            }
            return new PartitionOffset(Uri.UnescapeDataString(fields[3]), partition, nextOffset);
        }
    }
}
