using System;

namespace AnomalyTools.Kafka.Sources
{
    /// <summary>Why reading topics cannot go on. Each name is a stable error id and the key of its message.</summary>
    public enum KafkaSourceErrorId
    {
        /// <summary>No broker could be reached after librdkafka's own retries.</summary>
        KafkaBrokerUnreachable,

        /// <summary>A subscribed topic does not exist.</summary>
        KafkaTopicNotFound,

        /// <summary>The brokers refused the credentials, or the user may not read the topic or use the group.</summary>
        KafkaAuthorizationFailed,

        /// <summary>librdkafka refused a setting: an unknown key, or a value it cannot take.</summary>
        InvalidKafkaSetting,

        /// <summary>librdkafka reported an error it cannot recover from.</summary>
        KafkaFatalError,
    }

    /// <summary>
    /// Reading topics cannot go on. <see cref="Detail"/> is what librdkafka said or the setting it refused, with every
    /// setting's value and the password taken out.
    /// </summary>
    public sealed class KafkaSourceException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public KafkaSourceException(KafkaSourceErrorId id, string subject, string detail)
            : base(id + ": " + subject + ": " + detail)
        {
            Id = id;
            Subject = subject;
            Detail = detail;
        }

        /// <summary>The stable error id.</summary>
        public KafkaSourceErrorId Id { get; }

        /// <summary>What the error is about: the brokers, a topic, a setting's key, the group.</summary>
        public string Subject { get; }

        /// <summary>What librdkafka said, without secrets.</summary>
        public string Detail { get; }
    }
}
