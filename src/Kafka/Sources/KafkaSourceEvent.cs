using AnomalyTools.Sources;

namespace AnomalyTools.Kafka.Sources
{
    /// <summary>What a <see cref="KafkaSourceEvent"/> tells.</summary>
    public enum KafkaSourceEventKind
    {
        /// <summary>A message was read: <see cref="KafkaSourceEvent.Result"/> is its transaction or the error that kept it from being one.</summary>
        Record,

        /// <summary>Partitions were assigned to this consumer: <see cref="KafkaSourceEvent.Text"/> lists them.</summary>
        PartitionsAssigned,

        /// <summary>Partitions were taken from this consumer: <see cref="KafkaSourceEvent.Text"/> lists them.</summary>
        PartitionsRevoked,

        /// <summary>A transient error that librdkafka retries by itself (a broker down for a moment): <see cref="KafkaSourceEvent.Text"/> says which.</summary>
        TransientError,
    }

    /// <summary>One thing that happened while reading topics: a record, or a notice for the user.</summary>
    public sealed class KafkaSourceEvent
    {
        private KafkaSourceEvent(KafkaSourceEventKind kind, ImportResult result, TopicMessage? message, string? text)
        {
            Kind = kind;
            Result = result;
            Message = message;
            Text = text;
        }

        /// <summary>What happened.</summary>
        public KafkaSourceEventKind Kind { get; }

        /// <summary>For a record: the transaction or the error.</summary>
        public ImportResult Result { get; }

        /// <summary>For a record: the message it was read from (topic, partition, offset, timestamp, key).</summary>
        public TopicMessage? Message { get; }

        /// <summary>For a notice: what it says, in words of librdkafka or partition lists.</summary>
        public string? Text { get; }

        internal static KafkaSourceEvent Record(TopicMessage message, ImportResult result) => new KafkaSourceEvent(KafkaSourceEventKind.Record, result, message, null);

        internal static KafkaSourceEvent Notice(KafkaSourceEventKind kind, string text) => new KafkaSourceEvent(kind, default, null, text);
    }
}
