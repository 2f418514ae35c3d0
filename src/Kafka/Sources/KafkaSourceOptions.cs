using System;
using System.Collections.Generic;
using AnomalyTools.Checkpoints;
using AnomalyTools.Sources;
using AnomalyTools.Sources.Csv;

namespace AnomalyTools.Kafka.Sources
{
    /// <summary>What the Kafka transaction source reads and how.</summary>
    public sealed class KafkaSourceOptions
    {
        /// <summary>The brokers to connect to first (<c>host:port</c>); the cluster tells the others.</summary>
        public IReadOnlyList<string> BootstrapServers { get; set; } = Array.Empty<string>();

        /// <summary>The topics to read, all of their partitions.</summary>
        public IReadOnlyList<string> Topics { get; set; } = Array.Empty<string>();

        /// <summary>The consumer group: its committed offsets say where reading goes on.</summary>
        public string GroupId { get; set; } = string.Empty;

        /// <summary>Where to start in a partition for which the group has committed nothing.</summary>
        public StartPosition StartAt { get; set; } = StartPosition.Earliest;

        /// <summary>Whether to end once every assigned partition is read up to the end offset it had when it was assigned.</summary>
        public bool StopAtEnd { get; set; }

        /// <summary>Ends reading once no message has come for this long since partitions were first assigned; null to wait for ever.</summary>
        public TimeSpan? IdleTimeout { get; set; }

        /// <summary>librdkafka settings under its own keys, applied before the ones this source sets itself.</summary>
        public IReadOnlyDictionary<string, string> Settings { get; set; } = new Dictionary<string, string>();

        /// <summary>The SASL user name, or null for none.</summary>
        public string? UserName { get; set; }

        /// <summary>The SASL password, or null for none. Never written into a message or an error.</summary>
        public string? Password { get; set; }

        /// <summary>How values are matched and read: column map, culture, and for CSV values the delimiter and size limit.</summary>
        public TransactionCsvOptions ValueOptions { get; set; } = new TransactionCsvOptions();

        /// <summary>The column names of CSV values; null when values are JSON objects.</summary>
        public IReadOnlyList<string>? CsvHeader { get; set; }

        /// <summary>
        /// How far an output's committed parts cover the topics' partitions; when given, the source assigns itself every
        /// partition and reads each from there (or from <see cref="StartAt"/> for one the output does not cover), with no
        /// group rebalance.
        /// </summary>
        public InputPositions? ResumeFrom { get; set; }

        /// <summary>
        /// Whether the group's offsets follow what an output reports as covered (<c>KafkaTransactionSource.CommitPositions</c>)
        /// rather than what was handed down the pipeline: set when the pipeline's sink says so, so that an offset is never
        /// committed before the alerts of the records before it are safe. Always so with <see cref="ResumeFrom"/>.
        /// </summary>
        public bool OffsetsFollowOutput { get; set; }
    }
}
