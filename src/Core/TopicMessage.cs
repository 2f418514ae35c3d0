using System;
using System.Globalization;

namespace AnomalyTools
{
    /// <summary>
    /// Where a transaction read from a Kafka topic came from: the message's topic, partition and offset, its timestamp
    /// and its key. A transaction read from a file has none (<see cref="Transaction.Message"/> is null).
    /// </summary>
    public sealed class TopicMessage
    {
        /// <summary>Describes one message.</summary>
        public TopicMessage(string topic, int partition, long offset, DateTimeOffset? timestamp, string? key)
        {
            Topic = topic ?? throw new ArgumentNullException(nameof(topic));
            Partition = partition;
            Offset = offset;
            Timestamp = timestamp;
            Key = key;
        }

        /// <summary>The topic the message was read from.</summary>
        public string Topic { get; }

        /// <summary>The partition of the topic.</summary>
        public int Partition { get; }

        /// <summary>The message's offset in its partition.</summary>
        public long Offset { get; }

        /// <summary>The message's own timestamp (set by its producer or by the broker), if it has one.</summary>
        public DateTimeOffset? Timestamp { get; }

        /// <summary>The message's key as UTF-8 text, or null when it has none.</summary>
        public string? Key { get; }

        /// <summary>The message's position as Kafka tools write it: <c>topic/partition@offset</c>.</summary>
        public string Position => FormatPosition(Topic, Partition, Offset);

        /// <summary><c>topic/partition@offset</c>, the position that errors and <see cref="Transaction.Source"/> name.</summary>
        public static string FormatPosition(string topic, int partition, long offset) =>
            topic + "/" + partition.ToString(CultureInfo.InvariantCulture) + "@" + offset.ToString(CultureInfo.InvariantCulture);

        /// <inheritdoc />
        public override string ToString() => Position;
    }
}
