using System;
using System.Collections;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using AnomalyTools.Kafka;

namespace AnomalyTools.Commands
{
    // The Kafka parameter set. Every method that names a type of AnomalyTools.Kafka or Confluent.Kafka is here and is
    // never inlined, so that the part-file path never makes the runtime load them (nor librdkafka).
    public sealed partial class ExportSuspiciousTransactionCommand
    {
        private const string KafkaParameterSet = "Kafka";

        // Flushing at the end waits for every acknowledgement; librdkafka fails a message after message.timeout.ms (5
        // minutes by default) anyway, so this bound is only met by a cluster that keeps answering but never acknowledges.
        private static readonly TimeSpan s_endFlushTimeout = TimeSpan.FromMinutes(10);

        // Ctrl+C must end the pipeline promptly: what is not acknowledged by then was not committed anywhere, and a
        // resumed run produces it again.
        private static readonly TimeSpan s_stopFlushTimeout = TimeSpan.FromSeconds(5);

        // A KafkaAlertSink, typed object so that this class's fields name no Kafka type.
        private object? _kafka;

        /// <summary>
        /// The Kafka brokers to connect to first (librdkafka's bootstrap.servers), as host:port; the others are found from
        /// them. Writes to a Kafka topic instead of part files.
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = KafkaParameterSet)]
        [ValidateNotNullOrEmpty]
        public string[] BootstrapServer { get; set; } = Array.Empty<string>();

        /// <summary>The Kafka topic each transaction is written to, as one message.</summary>
        [Parameter(Mandatory = true, ParameterSetName = KafkaParameterSet)]
        [ValidateNotNullOrEmpty]
        public string Topic { get; set; } = string.Empty;

        /// <summary>
        /// librdkafka settings, under librdkafka's own names, such as @{ 'security.protocol' = 'SASL_SSL';
        /// 'sasl.mechanism' = 'SCRAM-SHA-512'; 'ssl.ca.location' = '/etc/ssl/certs/kafka-ca.pem' }. An unknown setting
        /// stops the command (InvalidKafkaSetting). bootstrap.servers, sasl.username and sasl.password come from
        /// -BootstrapServer and -Credential; enable.idempotence, acks and the delivery reports are the command's own
        /// (ReservedKafkaSetting).
        /// </summary>
        [Parameter(ParameterSetName = KafkaParameterSet)]
        [ValidateNotNull]
        public Hashtable? KafkaSetting { get; set; }

        /// <summary>
        /// The user name and password for SASL. Unless -KafkaSetting says otherwise, security.protocol is then SASL_SSL
        /// (the password never travels in the clear) and sasl.mechanism PLAIN; give 'sasl.mechanism' = 'SCRAM-SHA-256' or
        /// 'SCRAM-SHA-512' for SCRAM. The password appears in no output, message, error or verbose line.
        /// </summary>
        [Parameter(ParameterSetName = KafkaParameterSet)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>
        /// How long to wait for the brokers to answer before giving up with KafkaBrokerUnreachable (or
        /// KafkaAuthenticationFailed when they refused the login), librdkafka retrying meanwhile. Seconds or a TimeSpan;
        /// 30 seconds by default.
        /// </summary>
        [Parameter(ParameterSetName = KafkaParameterSet)]
        [IntervalTransformation]
        [ArgumentCompleter(typeof(IntervalCompleter))]
        [ValidatePositiveInterval]
        public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void BeginKafka()
        {
            KafkaClientSettings settings;
            try
            {
                var credential = Credential?.GetNetworkCredential();
                settings = new KafkaClientSettings(BootstrapServer, Unwrap(KafkaSetting), credential?.UserName, credential?.Password);
            }
            catch (KafkaSettingException exception)
            {
                ThrowTerminatingError(KafkaSettingError(exception));
                return;
            }
            var target = ErrorRecords.Message("KafkaTarget", Topic, settings.BootstrapServers);
            if (!ShouldProcess(target, ErrorRecords.Message("ExportKafkaAction"))) return;

            WriteVerbose(ErrorRecords.Message("KafkaConnecting", Topic, settings.ToString()));
            try
            {
                _kafka = new KafkaAlertSink(settings, Topic);
            }
            catch (KafkaSettingException exception)
            {
                ThrowTerminatingError(KafkaSettingError(exception));
            }
            var sink = (KafkaAlertSink)_kafka!;
            try
            {
                sink.Connect(ConnectTimeout);
            }
            catch (KafkaSinkException exception)
            {
                WriteKafkaLog();
                ThrowTerminatingError(KafkaSinkError(exception, target));
            }
            WriteKafkaLog();
            _checkpointRegistration = PipelineCheckpoints.Register(sink, null);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void WriteToKafka(Transaction transaction)
        {
            var sink = (KafkaAlertSink)_kafka!;
            try
            {
                sink.Write(transaction);
            }
            catch (KafkaSinkException exception)
            {
                ThrowTerminatingError(KafkaSinkError(exception, sink.ToString()));
            }
            WriteKafkaLog();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void EndKafka()
        {
            var sink = (KafkaAlertSink)_kafka!;
            try
            {
                sink.Flush(s_endFlushTimeout);
            }
            catch (KafkaSinkException exception)
            {
                WriteKafkaLog();
                ThrowTerminatingError(KafkaSinkError(exception, sink.ToString()));
            }
            WriteKafkaLog();
            WriteVerbose(ErrorRecords.Message("KafkaAcknowledged", sink.AcknowledgedCount, sink.Topic));
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void StopKafka()
        {
            try
            {
                ((KafkaAlertSink)_kafka!).Flush(s_stopFlushTimeout);
            }
            catch (KafkaSinkException)
            {
                // Nothing can be reported once stopping; what was not acknowledged was never counted as delivered.
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void DisposeKafka() => ((KafkaAlertSink)_kafka!).Dispose();

        private void WriteKafkaLog()
        {
            foreach (var line in ((KafkaAlertSink)_kafka!).TakeLog())
            {
                if (line.IsDebug) WriteDebug(line.Text);
                else WriteVerbose(line.Text);
            }
        }

        private static ErrorRecord KafkaSettingError(KafkaSettingException exception)
        {
            var (id, message) = exception.Problem switch
            {
                KafkaSettingProblem.GivenByParameter => ("KafkaSettingGivenByParameter", ErrorRecords.Message("KafkaSettingGivenByParameter", exception.Setting)),
                KafkaSettingProblem.Reserved => ("ReservedKafkaSetting", ErrorRecords.Message("ReservedKafkaSetting", exception.Setting)),
                KafkaSettingProblem.Empty => ("InvalidKafkaSetting", ErrorRecords.Message("KafkaSettingEmpty")),
                KafkaSettingProblem.NoValue => ("InvalidKafkaSetting", ErrorRecords.Message("KafkaSettingNoValue", exception.Setting)),
                KafkaSettingProblem.Duplicate => ("InvalidKafkaSetting", ErrorRecords.Message("KafkaSettingDuplicate", exception.Setting)),
                _ => ("InvalidKafkaSetting", ErrorRecords.Message("InvalidKafkaSetting", exception.Setting, exception.Detail ?? string.Empty)),
            };
            return new ErrorRecord(new ArgumentException(message), id, ErrorCategory.InvalidArgument, exception.Setting);
        }

        private static ErrorRecord KafkaSinkError(KafkaSinkException exception, string target)
        {
            var (id, category) = exception.Failure switch
            {
                KafkaSinkFailure.BrokerUnreachable => ("KafkaBrokerUnreachable", ErrorCategory.ConnectionError),
                KafkaSinkFailure.AuthenticationFailed => ("KafkaAuthenticationFailed", ErrorCategory.AuthenticationError),
                KafkaSinkFailure.TopicNotFound => ("KafkaTopicNotFound", ErrorCategory.ObjectNotFound),
                KafkaSinkFailure.AuthorizationFailed => ("KafkaAuthorizationFailed", ErrorCategory.PermissionDenied),
                KafkaSinkFailure.DeliveryFailed => ("KafkaDeliveryFailed", ErrorCategory.WriteError),
                KafkaSinkFailure.FlushTimedOut => ("KafkaFlushTimedOut", ErrorCategory.OperationTimeout),
                _ => ("KafkaProducerFailed", ErrorCategory.WriteError),
            };
            // The sink's exception is left out: its message is already redacted and given here, and nothing else of it is needed.
            return ErrorRecords.Create(id, category, target, null, target, exception.Message);
        }

        // PowerShell hands hashtable values over wrapped in PSObject (a number typed at the prompt, an array's elements).
        private static Hashtable? Unwrap(Hashtable? settings)
        {
            if (settings is null) return null;
            var unwrapped = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry entry in settings)
            {
                unwrapped[entry.Key is PSObject key ? key.BaseObject : entry.Key] = UnwrapValue(entry.Value);
            }
            return unwrapped;
        }

        private static object? UnwrapValue(object? value)
        {
            var bare = value is PSObject wrapped ? wrapped.BaseObject : value;
            if (bare is object[] items) return Array.ConvertAll(items, UnwrapValue);
            return bare;
        }
    }
}
