using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using AnomalyTools.Checkpoints;
using AnomalyTools.Sinks.Formats;
using Confluent.Kafka;

namespace AnomalyTools.Kafka
{
    /// <summary>
    /// Writes each transaction as one message to a Kafka topic: key the customer id, value the JSON object of
    /// <see cref="OutputFormat.JsonLines"/> (the line without its line end), headers with the source position and a stable
    /// alert id (<see cref="AlertOrigin"/>). The producer is idempotent (enable.idempotence, acks=all), so librdkafka's
    /// retries never duplicate nor reorder a message within a run; across runs the stable id lets consumers drop
    /// duplicates. Delivery reports are tracked: <see cref="AcknowledgedThrough"/> says, for each input (file or partition),
    /// how far every alert is acknowledged by the brokers, and <see cref="PositionsCommitted"/> tells it as it moves on. Written from one thread, the pipeline's; librdkafka reports on threads of its own.
    /// </summary>
    internal sealed class KafkaAlertSink : IDisposable, IPositionsCommitted
    {
        /// <summary>The settings that the sink owns for its guarantees; the user cannot give them.</summary>
        public static readonly IReadOnlyDictionary<string, string> OwnedSettings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["enable.idempotence"] = "true",
            ["acks"] = "all",
            ["dotnet.producer.enable.delivery.reports"] = "true",
            ["dotnet.producer.delivery.report.fields"] = "status",
        };

        private const int MaxQueuedLogLines = 10_000;
        private static readonly TimeSpan s_queueFullWait = TimeSpan.FromMilliseconds(100);
        private static readonly Encoding s_utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

        private readonly KafkaClientSettings _settings;
        private readonly string _topic;
        private readonly IProducer<byte[], byte[]> _producer;
        private readonly JsonLinesRecordFormatter _json = new JsonLinesRecordFormatter();
        private readonly StringBuilder _value = new StringBuilder();
        private readonly ConcurrentQueue<KafkaLogLine> _log = new ConcurrentQueue<KafkaLogLine>();
        private readonly object _lock = new object();
        private readonly Dictionary<string, InputDeliveries> _inputs = new Dictionary<string, InputDeliveries>(SourcePosition.InputKeyComparer);
        private KafkaSinkException? _failure;
        private string? _authenticationError;
        private long _inFlight;
        private long _acknowledged;

        /// <summary>
        /// Creates a producer for the brokers of <paramref name="settings"/> and <paramref name="topic"/>; call
        /// <see cref="Connect"/> before the first <see cref="Write"/>.
        /// </summary>
        /// <exception cref="KafkaSettingException">A setting is unknown to librdkafka, refused by it, or owned by the sink.</exception>
        public KafkaAlertSink(KafkaClientSettings settings, string topic)
        {
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            if (string.IsNullOrEmpty(topic)) throw new ArgumentException("A topic is required.", nameof(topic));
            _topic = topic;
            var config = settings.CreateConfig<ProducerConfig>(OwnedSettings);
            try
            {
                _producer = new ProducerBuilder<byte[], byte[]>(config)
                    .SetLogHandler((_, message) => OnLog(message))
                    .SetErrorHandler((_, error) => OnError(error))
                    .Build();
            }
            // librdkafka refuses an unknown key or a bad value with ArgumentException, a conflict between settings (such as
            // max.in.flight above 5 with idempotence) with InvalidOperationException.
            catch (Exception exception) when (exception is ArgumentException || exception is InvalidOperationException)
            {
                var reason = settings.Redact(exception.Message);
                throw new KafkaSettingException(KafkaSettingProblem.Unknown, settings.FindRefusedSetting() ?? string.Empty, reason);
            }
        }

        /// <summary>The topic written to.</summary>
        public string Topic => _topic;

        /// <summary>How many messages were acknowledged by the brokers.</summary>
        public long AcknowledgedCount => System.Threading.Interlocked.Read(ref _acknowledged);

        /// <summary>
        /// For each input that alerts came from, the position of the last alert through which every alert written from it
        /// is acknowledged by the brokers (a file's line, a partition's next offset): a position that may be committed as
        /// covered (the records between alerts are covered by the next acknowledged alert, or by all being acknowledged).
        /// An input with an alert unacknowledged before any acknowledged one is not listed.
        /// </summary>
        public IReadOnlyList<SourcePosition> AcknowledgedThrough
        {
            get
            {
                lock (_lock)
                {
                    return _inputs.Values.Where(input => input.AcknowledgedThrough != null).Select(input => input.AcknowledgedThrough!).ToList();
                }
            }
        }

        /// <inheritdoc />
        /// <remarks>Raised on librdkafka's delivery thread, with the one input whose acknowledged position moved on.</remarks>
        public event Action<IReadOnlyList<SourcePosition>>? PositionsCommitted;

        /// <summary>
        /// Produces <paramref name="transaction"/> as one message; returns once librdkafka has queued it, not once it is
        /// acknowledged. Waits while librdkafka's queue is full.
        /// </summary>
        /// <exception cref="KafkaSinkException">A fatal producer error or a failed delivery stopped the sink.</exception>
        public void Write(Transaction transaction)
        {
            ThrowIfFailed();
            var origin = AlertOrigin.Of(transaction);
            var message = new Message<byte[], byte[]>
            {
                Key = s_utf8.GetBytes(transaction.CustomerId),
                Value = s_utf8.GetBytes(FormatValue(transaction)),
                Headers = origin.ToHeaders(),
            };
            var delivery = Track(origin);
            while (true)
            {
                try
                {
                    _producer.Produce(_topic, message, report => OnDelivered(delivery, report));
                    return;
                }
                catch (ProduceException<byte[], byte[]> exception) when (exception.Error.Code == ErrorCode.Local_QueueFull)
                {
                    _producer.Poll(s_queueFullWait);
                    ThrowIfFailed();
                }
                catch (KafkaException exception)
                {
                    Fail(Classify(exception.Error), exception.Error.Reason);
                    ThrowIfFailed();
                }
            }
        }

        /// <summary>Waits, at most <paramref name="timeout"/>, until every message written is acknowledged or failed.</summary>
        /// <exception cref="KafkaSinkException">A delivery failed, or messages were still unacknowledged after <paramref name="timeout"/>.</exception>
        public void Flush(TimeSpan timeout)
        {
            ThrowIfFailed();
            var left = _producer.Flush(timeout);
            ThrowIfFailed();
            if (left > 0 || System.Threading.Interlocked.Read(ref _inFlight) > 0)
            {
                throw new KafkaSinkException(KafkaSinkFailure.FlushTimedOut, Math.Max(left, System.Threading.Interlocked.Read(ref _inFlight)).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        /// <summary>Takes librdkafka's log lines (secrets redacted) logged since the last call, oldest first.</summary>
        public IReadOnlyList<KafkaLogLine> TakeLog()
        {
            var lines = new List<KafkaLogLine>();
            while (_log.TryDequeue(out var line)) lines.Add(line);
            return lines;
        }

        /// <summary>Destroys the producer, without waiting for messages not yet acknowledged: call <see cref="Flush"/> first.</summary>
        public void Dispose() => _producer.Dispose();

        /// <inheritdoc />
        public override string ToString() => _topic + " on " + _settings.BootstrapServers;

        // The one place that makes a message's value; once Core formats one JSON object without its line end, it calls that.
        private string FormatValue(Transaction transaction)
        {
            _value.Clear();
            _json.AppendRecord(_value, transaction);
            _value.Length--;
            return _value.ToString();
        }

        /// <summary>
        /// Waits, at most <paramref name="timeout"/>, for the topic's metadata, so that a cluster out of reach or a refused
        /// login is told at once, not after the first message's delivery timeout. librdkafka logs what it tried meanwhile.
        /// </summary>
        /// <exception cref="KafkaSinkException">The brokers cannot be reached, or refuse the login or the topic.</exception>
        public void Connect(TimeSpan timeout)
        {
            Metadata metadata;
            try
            {
                using var admin = new DependentAdminClientBuilder(_producer.Handle).Build();
                metadata = admin.GetMetadata(_topic, timeout);
            }
            catch (KafkaException exception)
            {
                throw ConnectFailure(exception.Error.Reason);
            }
            var topic = metadata.Topics.FirstOrDefault(t => t.Topic == _topic);
            if (metadata.Brokers.Count == 0 || topic is null) throw ConnectFailure("no broker answered");
            if (topic.Error.Code == ErrorCode.TopicAuthorizationFailed) throw new KafkaSinkException(KafkaSinkFailure.AuthorizationFailed, _settings.Redact(topic.Error.Reason));
            if (topic.Error.Code == ErrorCode.UnknownTopicOrPart) throw new KafkaSinkException(KafkaSinkFailure.TopicNotFound, _settings.Redact(topic.Error.Reason));
            ThrowIfFailed();
        }

        private KafkaSinkException ConnectFailure(string reason)
        {
            lock (_lock)
            {
                if (_failure != null) return _failure;
                return _authenticationError != null
                    ? new KafkaSinkException(KafkaSinkFailure.AuthenticationFailed, _authenticationError)
                    : new KafkaSinkException(KafkaSinkFailure.BrokerUnreachable, _settings.Redact(reason));
            }
        }

        private Delivery Track(AlertOrigin origin)
        {
            var delivery = new Delivery(origin.Transaction.Position);
            lock (_lock)
            {
                _inFlight++;
                if (delivery.Position != null)
                {
                    if (!_inputs.TryGetValue(delivery.Position.InputKey, out var input)) _inputs[delivery.Position.InputKey] = input = new InputDeliveries();
                    input.Pending.Enqueue(delivery);
                }
            }
            return delivery;
        }

        private void OnDelivered(Delivery delivery, DeliveryReport<byte[], byte[]> report)
        {
            if (report.Error.IsError)
            {
                Fail(report.Error.Code == ErrorCode.TopicAuthorizationFailed ? KafkaSinkFailure.AuthorizationFailed : Classify(report.Error), report.Error.Reason);
                lock (_lock) _inFlight--;
                return;
            }
            SourcePosition? movedTo = null;
            lock (_lock)
            {
                _inFlight--;
                _acknowledged++;
                delivery.Acknowledged = true;
                if (delivery.Position is null) return;
                var input = _inputs[delivery.Position.InputKey];
                while (input.Pending.Count > 0 && input.Pending.Peek().Acknowledged)
                {
                    movedTo = input.AcknowledgedThrough = input.Pending.Dequeue().Position;
                }
            }
            if (movedTo != null) PositionsCommitted?.Invoke(new[] { movedTo });
        }

        private void OnError(Error error)
        {
            if (error.IsFatal)
            {
                Fail(KafkaSinkFailure.ProducerFailed, error.Reason);
                return;
            }
            if (error.Code == ErrorCode.Local_Authentication || error.Code == ErrorCode.SaslAuthenticationFailed)
            {
                lock (_lock) _authenticationError = _settings.Redact(error.Reason);
            }
            // librdkafka retries transient errors itself (a broker down, a connection reset): they are news, not failures.
            Enqueue(new KafkaLogLine(false, _settings.Redact(error.Code + ": " + error.Reason)));
        }

        private void OnLog(LogMessage message)
        {
            Enqueue(new KafkaLogLine(message.Level >= SyslogLevel.Debug, _settings.Redact(message.Facility + " " + message.Name + ": " + message.Message)));
        }

        private void Enqueue(KafkaLogLine line)
        {
            // Nobody may take the lines for a while (a pipeline waiting for input): the oldest make room for the newest.
            if (_log.Count >= MaxQueuedLogLines) _log.TryDequeue(out _);
            _log.Enqueue(line);
        }

        private static KafkaSinkFailure Classify(Error error)
        {
            if (error.IsFatal) return KafkaSinkFailure.ProducerFailed;
            switch (error.Code)
            {
                case ErrorCode.TopicAuthorizationFailed:
                case ErrorCode.ClusterAuthorizationFailed:
                    return KafkaSinkFailure.AuthorizationFailed;
                case ErrorCode.Local_Authentication:
                case ErrorCode.SaslAuthenticationFailed:
                    return KafkaSinkFailure.AuthenticationFailed;
                default:
                    return KafkaSinkFailure.DeliveryFailed;
            }
        }

        private void Fail(KafkaSinkFailure failure, string reason)
        {
            lock (_lock) _failure ??= new KafkaSinkException(failure, _settings.Redact(reason));
        }

        private void ThrowIfFailed()
        {
            KafkaSinkException? failure;
            lock (_lock) failure = _failure;
            if (failure != null) throw new KafkaSinkException(failure.Failure, failure.Message);
        }

        private sealed class Delivery
        {
            public Delivery(SourcePosition? position)
            {
                Position = position;
            }

            public SourcePosition? Position { get; }

            public bool Acknowledged { get; set; }
        }

        private sealed class InputDeliveries
        {
            public Queue<Delivery> Pending { get; } = new Queue<Delivery>();

            public SourcePosition? AcknowledgedThrough { get; set; }
        }
    }
}
