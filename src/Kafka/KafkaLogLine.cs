namespace AnomalyTools.Kafka
{
    /// <summary>One of librdkafka's log lines, secrets redacted.</summary>
    internal sealed class KafkaLogLine
    {
        public KafkaLogLine(bool isDebug, string text)
        {
            IsDebug = isDebug;
            Text = text;
        }

        /// <summary>Whether librdkafka logged it at debug level (asked for with the setting <c>debug</c>); otherwise it is information or worse.</summary>
        public bool IsDebug { get; }

        /// <summary>The facility, the client's name and the message.</summary>
        public string Text { get; }

        /// <inheritdoc />
        public override string ToString() => Text;
    }
}
