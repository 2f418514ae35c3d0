using System;

namespace AnomalyTools.Kafka
{
    /// <summary>Why the Kafka alert sink cannot go on.</summary>
    internal enum KafkaSinkFailure
    {
        /// <summary>No broker answered within the connect timeout, after librdkafka's own retries.</summary>
        BrokerUnreachable,

        /// <summary>The brokers refused the SASL user name and password, or the TLS handshake failed.</summary>
        AuthenticationFailed,

        /// <summary>The topic does not exist and the brokers do not create topics on first use.</summary>
        TopicNotFound,

        /// <summary>The brokers refused to let the user write to the topic.</summary>
        AuthorizationFailed,

        /// <summary>A message could not be delivered, after librdkafka's retries (message.timeout.ms).</summary>
        DeliveryFailed,

        /// <summary>The producer hit an error it cannot recover from (librdkafka's fatal errors, such as a broken idempotent sequence).</summary>
        ProducerFailed,

        /// <summary>Messages were still unacknowledged when the flush timeout ran out.</summary>
        FlushTimedOut,
    }

    /// <summary>
    /// The Kafka alert sink cannot go on. The message is librdkafka's reason with every secret redacted; no exception of
    /// Confluent.Kafka is kept as the inner one, since its text is not redacted.
    /// </summary>
    internal sealed class KafkaSinkException : Exception
    {
        public KafkaSinkException(KafkaSinkFailure failure, string reason)
            : base(reason)
        {
            Failure = failure;
        }

        /// <summary>Why.</summary>
        public KafkaSinkFailure Failure { get; }
    }
}
