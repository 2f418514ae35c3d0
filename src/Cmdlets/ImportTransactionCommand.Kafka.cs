using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using AnomalyTools.Checkpoints;
using AnomalyTools.Sources;
#if NET8_0_OR_GREATER
using AnomalyTools.Kafka.Sources;
#endif

namespace AnomalyTools.Commands
{
    // The Kafka parameter set. Every type of AnomalyTools.Kafka.dll stays inside the methods below that only the Kafka set
    // calls, so that a session reading files never loads that assembly, Confluent.Kafka or librdkafka.
    public sealed partial class ImportTransactionCommand
    {
        private const string KafkaParameterSet = "Kafka";

        // Boxed: PowerShell lists this assembly's types before DependencyIsolation is installed, and a field of a value
        // type from AnomalyTools.Core would make it load Core then, from the wrong place.
        private object _startAt = StartPosition.Earliest;

#if NET8_0_OR_GREATER
        // Closes the Kafka source after the pipeline's end, when the export has committed its last part.
        private Action? _closeKafka;
#endif

        /// <summary>
        /// Reads Kafka topics instead of files: the brokers to connect to first, as host:port (several for redundancy; the
        /// cluster tells the others).
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = KafkaParameterSet)]
        [ValidateNotNullOrEmpty]
        public string[] BootstrapServer { get; set; } = Array.Empty<string>();

        /// <summary>The topics to read, every partition of each. Each message's value is one transaction: a JSON object, or with -Header one CSV record.</summary>
        [Parameter(Mandatory = true, ParameterSetName = KafkaParameterSet)]
        [ValidateNotNullOrEmpty]
        public string[] Topic { get; set; } = Array.Empty<string>();

        /// <summary>
        /// The consumer group to read as. The group's committed offsets say where reading goes on, so the same command run
        /// again reads only what came since; instances with the same group share the partitions.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = KafkaParameterSet)]
        [ValidateNotNullOrEmpty]
        public string GroupId { get; set; } = string.Empty;

        /// <summary>
        /// Where to start in a partition for which the group has committed no offset: Earliest (the default: nothing
        /// already in the topic is missed, as a batch job and a first run want) or Latest (only what is produced from now on).
        /// </summary>
        [Parameter(ParameterSetName = KafkaParameterSet)]
        public StartPosition StartAt
        {
            get => (StartPosition)_startAt;
            set => _startAt = value;
        }

        /// <summary>
        /// Reads each partition up to the end offset it had when it was assigned, then ends: for batch jobs and tests.
        /// Without it, reading goes on until Ctrl+C or -IdleTimeout.
        /// </summary>
        [Parameter(ParameterSetName = KafkaParameterSet)]
        public SwitchParameter StopAtEnd { get; set; }

        /// <summary>
        /// librdkafka settings, under librdkafka's own keys, such as <c>@{ 'security.protocol' = 'SSL'; 'ssl.ca.location' = './ca.pem' }</c>.
        /// An unknown key or a value librdkafka refuses stops the command with InvalidKafkaSetting naming the key.
        /// bootstrap.servers, group.id, auto.offset.reset and the offset commit settings are the command's own.
        /// </summary>
        [Parameter(ParameterSetName = KafkaParameterSet)]
        [ValidateNotNull]
        public Hashtable? KafkaSetting { get; set; }

        /// <summary>
        /// The SASL user name and password. The mechanism is PLAIN unless -KafkaSetting gives sasl.mechanism (such as
        /// SCRAM-SHA-512), and the connection SASL_SSL unless it gives security.protocol. The password never appears in
        /// output, messages or errors.
        /// </summary>
        [Parameter(ParameterSetName = KafkaParameterSet)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>The column names of CSV message values: each value is then one CSV record read under this header, as a file's row is.</summary>
        [Parameter(ParameterSetName = KafkaParameterSet)]
        [ValidateNotNullOrEmpty]
        public string[]? Header { get; set; }

        private void ImportFromKafka()
        {
#if NET8_0_OR_GREATER
            ReadKafka();
#else
            ThrowTerminatingError(ErrorRecords.Create("KafkaRequiresPowerShell7", ErrorCategory.NotImplemented, BootstrapServer, null));
#endif
        }

        private void CloseKafka()
        {
#if NET8_0_OR_GREATER
            _closeKafka?.Invoke();
#endif
        }

#if NET8_0_OR_GREATER
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void ReadKafka()
        {
            var sink = PipelineCheckpoints.Find(_resumeDirectory);
            var source = new KafkaTransactionSource(new KafkaSourceOptions
            {
                BootstrapServers = BootstrapServer,
                Topics = Topic,
                GroupId = GroupId,
                StartAt = StartAt,
                StopAtEnd = StopAtEnd,
                IdleTimeout = IdleTimeout,
                Settings = ToKafkaSettings(KafkaSetting),
                UserName = Credential?.UserName,
                Password = Credential?.GetNetworkCredential().Password,
                ValueOptions = _csvOptions!,
                ResumeFrom = _resumeDirectory is null ? null : _resumePositions,
                OffsetsFollowOutput = sink != null,
                CsvHeader = Header,
            });
            var progress = new ProgressThrottle(s_progressDelay, s_progressInterval);
            // An export in this pipeline that says what its output covers (the folder resumed from, or a Kafka topic) moves
            // the group's offsets; otherwise they follow what was handed down the pipeline.
            Action<IReadOnlyList<SourcePosition>> commitToGroup = source.CommitPositions;
            if (sink != null) sink.PositionsCommitted += commitToGroup;
            _closeKafka = () =>
            {
                if (sink != null) sink.PositionsCommitted -= commitToGroup;
                source.Dispose();
            };
            try
            {
                foreach (var sourceEvent in source.Read(_stopping.Token))
                {
                    WriteSourceEvent(sourceEvent);
                    if (sourceEvent.Kind == SourceEventKind.Record && progress.ShouldReport()) WriteProgress(KafkaProgress(source.MessagesRead, source.Lag()));
                }
                WriteBatch();
            }
            catch (KafkaSourceException exception)
            {
                WriteBatch();
                ThrowTerminatingError(ErrorRecords.Create(exception.Id.ToString(), CategoryOf(exception.Id), exception.Subject, exception, exception.Subject, exception.Detail));
            }
            catch (Exception exception) when (exception is DllNotFoundException || exception is BadImageFormatException || exception is TypeInitializationException)
            {
                ThrowTerminatingError(ErrorRecords.Create("KafkaLibraryNotLoaded", ErrorCategory.NotInstalled, BootstrapServer, exception, exception.Message));
            }
            finally
            {
                if (progress.HasReported && !_stopping.IsCancellationRequested)
                {
                    var completed = KafkaProgress(source.MessagesRead, null);
                    completed.RecordType = ProgressRecordType.Completed;
                    WriteProgress(completed);
                }
            }
        }

        private static ErrorCategory CategoryOf(KafkaSourceErrorId id) => id switch
        {
            KafkaSourceErrorId.KafkaBrokerUnreachable => ErrorCategory.ConnectionError,
            KafkaSourceErrorId.KafkaTopicNotFound => ErrorCategory.ObjectNotFound,
            KafkaSourceErrorId.KafkaAuthorizationFailed => ErrorCategory.PermissionDenied,
            KafkaSourceErrorId.InvalidKafkaSetting => ErrorCategory.InvalidArgument,
            _ => ErrorCategory.ConnectionError,
        };
#endif

        private ProgressRecord KafkaProgress(long messagesRead, long? lag)
        {
            var record = new ProgressRecord(_progressActivityId, ErrorRecords.Message("KafkaActivity", string.Join(", ", Topic)),
                lag.HasValue
                    ? ErrorRecords.Message("KafkaProgressStatus", messagesRead, lag.Value)
                    : ErrorRecords.Message("KafkaProgressStatusNoLag", messagesRead));
            return record;
        }

        // librdkafka takes every setting as text: switches and numbers are written as it reads them.
        private IReadOnlyDictionary<string, string> ToKafkaSettings(Hashtable? settings)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (settings is null) return result;
            foreach (DictionaryEntry entry in settings)
            {
                var key = entry.Key?.ToString() ?? string.Empty;
                var value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
                var text = value switch
                {
                    null => null,
                    bool flag => flag ? "true" : "false",
                    IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                    _ => value.ToString(),
                };
                if (key.Length == 0 || text is null)
                {
                    ThrowTerminatingError(ErrorRecords.Create("InvalidKafkaSetting", ErrorCategory.InvalidArgument, key, null, key, ErrorRecords.Message("KafkaSettingWithoutValue")));
                }
                result[key] = text!;
            }
            return result;
        }
    }
}
