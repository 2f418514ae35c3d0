#if NET8_0_OR_GREATER
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using AnomalyTools.Checkpoints;
using AnomalyTools.Sources;
using Confluent.Kafka;

namespace AnomalyTools.Kafka.Sources
{
    /// <summary>
    /// Reads transactions from Kafka topics: each message's value becomes a transaction or a row error, with its topic,
    /// partition and offset. Without <see cref="KafkaSourceOptions.ResumeFrom"/> it reads as a member of a consumer group:
    /// a message's offset is stored for the group's next commit once the caller asks for what comes after it, so that what
    /// was handed on is what the group has read; stored offsets are committed every few seconds and when reading ends.
    /// With it, the source assigns itself every partition of the topics and seeks each to where the output's checkpoint
    /// says; the group's offsets are then only what <see cref="CommitPositions"/> is given, after the output committed them.
    /// </summary>
    /// <remarks>
    /// Used by one thread at a time: <see cref="Read"/> and <see cref="Lag"/> are called from the thread that reads;
    /// <see cref="CommitPositions"/> from any thread.
    /// </remarks>
    public sealed class KafkaTransactionSource : ITransactionSource
    {
        // How long one poll waits for a message: the longest a cancellation or an idle timeout waits to be seen.
        private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(100);
        private static readonly TimeSpan s_watermarkTimeout = TimeSpan.FromSeconds(10);

        private readonly KafkaSourceOptions _options;
        private readonly MessageValueReader _values;
        private readonly HashSet<TopicPartition> _assigned = new HashSet<TopicPartition>();
        private readonly Dictionary<TopicPartition, long> _endOffsets = new Dictionary<TopicPartition, long>();
        private readonly HashSet<TopicPartition> _atEnd = new HashSet<TopicPartition>();
        // Filled by librdkafka's callbacks, which run inside Consume on the reading thread, and emptied by the loop.
        private readonly ConcurrentQueue<SourceEvent> _notices = new ConcurrentQueue<SourceEvent>();
        // Filled by the output's commits, on whatever thread commits, and emptied by the loop, which alone uses the consumer.
        private readonly ConcurrentQueue<TopicPartitionOffset> _committedByOutput = new ConcurrentQueue<TopicPartitionOffset>();
        private IConsumer<byte[]?, byte[]?>? _consumer;
        private IConsumer<byte[]?, byte[]?>? _keptOpen;
        private KafkaSourceException? _failure;
        private bool _hadAssignment;

        /// <summary>Creates a source; nothing connects until <see cref="Read"/>.</summary>
        public KafkaTransactionSource(KafkaSourceOptions options)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _values = new MessageValueReader(options.ValueOptions, options.CsvHeader);
        }

        /// <summary>
        /// Hands the positions an output has committed to the consumer group as its offsets (those of partitions this
        /// source reads), so that lag tools see progress; the reading thread commits them at its next poll. Where reading
        /// starts does not depend on them when resuming: the output's checkpoint says.
        /// </summary>
        public void CommitPositions(IEnumerable<SourcePosition> positions)
        {
            if (positions is null) throw new ArgumentNullException(nameof(positions));
            foreach (var position in positions.OfType<PartitionOffset>())
            {
                if (!_options.Topics.Contains(position.Topic, StringComparer.Ordinal)) continue;
                _committedByOutput.Enqueue(new TopicPartitionOffset(position.Topic, position.Partition, position.NextOffset));
            }
        }

        /// <summary>How many messages were read.</summary>
        public long MessagesRead { get; private set; }

        /// <summary>
        /// Checks the settings by building the consumer that <see cref="Read"/> would use, and disposes of it.
        /// </summary>
        /// <exception cref="KafkaSourceException">A setting was refused (InvalidKafkaSetting).</exception>
        public void Validate() => Build().Dispose();

        /// <summary>
        /// How many messages of the assigned partitions are not read yet, as far as the brokers last said; null before
        /// any is known.
        /// </summary>
        public long? Lag()
        {
            var consumer = _consumer;
            if (consumer is null) return null;
            long? lag = null;
            foreach (var partition in _assigned)
            {
                var high = consumer.GetWatermarkOffsets(partition).High;
                var position = consumer.Position(partition);
                if (high == Offset.Unset || position == Offset.Unset) continue;
                lag = (lag ?? 0) + Math.Max(0, high.Value - position.Value);
            }
            return lag;
        }

        /// <summary>
        /// Joins the group and subscribes to the topics (or, resuming, assigns itself their partitions) and reads until cancelled, until <see cref="KafkaSourceOptions.IdleTimeout"/>
        /// passes without a message, or, with <see cref="KafkaSourceOptions.StopAtEnd"/>, until every assigned partition
        /// is read up to its end offset at assignment. Stored offsets are committed when the enumeration ends, however it ends.
        /// </summary>
        /// <exception cref="KafkaSourceException">Reading cannot go on: brokers unreachable, a topic missing, authorization failed, a setting refused.</exception>
        public IEnumerable<SourceEvent> Read(CancellationToken cancellationToken)
        {
            var consumer = Build();
            _consumer = consumer;
            ConsumeResult<byte[]?, byte[]?>? handedOn = null;
            var resuming = _options.ResumeFrom != null;
            var followingOutput = resuming || _options.OffsetsFollowOutput;
            try
            {
                if (resuming) AssignFromCheckpoint(consumer);
                else consumer.Subscribe(_options.Topics);
                var lastMessage = Stopwatch.StartNew();
                while (!cancellationToken.IsCancellationRequested)
                {
                    if (handedOn != null)
                    {
                        Store(consumer, handedOn);
                        handedOn = null;
                    }
                    CommitOutputPositions(consumer);
                    while (_notices.TryDequeue(out var notice)) yield return notice;
                    if (_failure != null) throw _failure;
                    if (_options.StopAtEnd && _hadAssignment && _assigned.Count > 0 && _assigned.All(_atEnd.Contains)) yield break;
                    // Joining a group takes seconds: idleness counts from the first assignment on.
                    if (!_hadAssignment) lastMessage.Restart();
                    if (_options.IdleTimeout is TimeSpan idle && lastMessage.Elapsed >= idle) yield break;

                    var result = Consume(consumer);
                    if (result is null) continue;
                    if (result.IsPartitionEOF)
                    {
                        if (_options.StopAtEnd) _atEnd.Add(result.TopicPartition);
                        continue;
                    }
                    lastMessage.Restart();
                    MessagesRead++;
                    if (_options.StopAtEnd && IsBeyondEnd(consumer, result)) continue;

                    var message = new TopicMessage(result.Topic, result.Partition.Value, result.Offset.Value, TimestampOf(result.Message.Timestamp), KeyOf(result.Message.Key));
                    foreach (var read in _values.Read(message, result.Message.Value)) yield return SourceEvent.Record(message.Position, read);
                    // Following an output, its commits are the group's: what was handed on is not stored.
                    if (!followingOutput) handedOn = result;
                }
            }
            finally
            {
                _consumer = null;
                if (handedOn != null) Store(consumer, handedOn);
                // The output commits its last part (or has its last alerts acknowledged) after reading ended: the consumer
                // stays open until Dispose to hand that to the group too.
                if (followingOutput) _keptOpen = consumer;
                else Close(consumer);
            }
        }

        /// <summary>Commits what the output committed since the last poll and closes the consumer that a resumed read kept open.</summary>
        public void Dispose()
        {
            var consumer = _keptOpen;
            _keptOpen = null;
            if (consumer != null) Close(consumer);
        }

        private void Close(IConsumer<byte[]?, byte[]?> consumer)
        {
            try
            {
                CommitOutputPositions(consumer);
                consumer.Close();
            }
            catch (KafkaException)
            {
                // Leaving the group failed (brokers gone): the group's session timeout ends the membership instead.
            }
            finally
            {
                consumer.Dispose();
            }
        }

        // Every partition of the topics, each sought to the checkpoint's next offset or, for one it does not know, to
        // -StartAt: no group rebalance, so a run restarted after a kill reads at once rather than after the dead member's
        // session expires.
        private void AssignFromCheckpoint(IConsumer<byte[]?, byte[]?> consumer)
        {
            var positions = _options.ResumeFrom!;
            var start = _options.StartAt == StartPosition.Latest ? Offset.End : Offset.Beginning;
            var assignment = new List<TopicPartitionOffset>();
            using (var admin = new DependentAdminClientBuilder(consumer.Handle).Build())
            {
                foreach (var topic in _options.Topics)
                {
                    Confluent.Kafka.Metadata metadata;
                    try
                    {
                        metadata = admin.GetMetadata(topic, s_watermarkTimeout);
                    }
                    catch (KafkaException exception)
                    {
                        throw Classify(exception.Error, topic)
                            ?? new KafkaSourceException(KafkaSourceErrorId.KafkaBrokerUnreachable, string.Join(",", _options.BootstrapServers), Redact(exception.Error.Reason));
                    }
                    var described = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
                    if (described is null || described.Error.Code == ErrorCode.UnknownTopicOrPart || described.Partitions.Count == 0)
                    {
                        throw new KafkaSourceException(KafkaSourceErrorId.KafkaTopicNotFound, topic, Redact(described?.Error.Reason ?? topic));
                    }
                    foreach (var partition in described.Partitions.OrderBy(p => p.PartitionId))
                    {
                        var next = positions.NextOffset(topic, partition.PartitionId);
                        assignment.Add(new TopicPartitionOffset(topic, partition.PartitionId, next.HasValue ? new Offset(next.Value) : start));
                    }
                }
            }
            consumer.Assign(assignment);
            OnAssigned(assignment.Select(p => p.TopicPartition).ToList());
        }

        // Resuming, the partitions are assigned, not subscribed: the positions are committed plainly. As a group member,
        // they are stored for librdkafka's own periodic commit, which a rebalance does not disturb.
        private void CommitOutputPositions(IConsumer<byte[]?, byte[]?> consumer)
        {
            if (_committedByOutput.IsEmpty) return;
            var latest = new Dictionary<TopicPartition, TopicPartitionOffset>();
            while (_committedByOutput.TryDequeue(out var position)) latest[position.TopicPartition] = position;
            if (_options.ResumeFrom is null)
            {
                foreach (var position in latest.Values) Store(consumer, position);
                return;
            }
            try
            {
                consumer.Commit(latest.Values);
            }
            catch (KafkaException exception)
            {
                // The group's offsets are for lag tools only; the checkpoint holds the truth, so a refused commit is a notice.
                _notices.Enqueue(SourceEvent.Notice(SourceEventKind.TransientError, Redact(exception.Error.ToString())));
            }
        }

        private static void Store(IConsumer<byte[]?, byte[]?> consumer, TopicPartitionOffset position)
        {
            try
            {
                consumer.StoreOffset(position);
            }
            catch (KafkaException)
            {
                // The partition was taken away meanwhile: its new owner reads on from the group's last commit.
            }
        }

        private static void Store(IConsumer<byte[]?, byte[]?> consumer, ConsumeResult<byte[]?, byte[]?> handedOn)
        {
            try
            {
                consumer.StoreOffset(handedOn);
            }
            catch (KafkaException)
            {
                // The partition was taken away meanwhile: its new owner reads on from the group's last commit.
            }
        }

        private ConsumeResult<byte[]?, byte[]?>? Consume(IConsumer<byte[]?, byte[]?> consumer)
        {
            try
            {
                return consumer.Consume(s_pollInterval);
            }
            catch (ConsumeException exception)
            {
                var error = exception.Error;
                var topic = exception.ConsumerRecord?.Topic;
                if (error.Code == ErrorCode.UnknownTopicOrPart || error.Code == ErrorCode.Local_UnknownTopic)
                {
                    throw new KafkaSourceException(KafkaSourceErrorId.KafkaTopicNotFound, topic ?? string.Join(", ", _options.Topics), Redact(error.Reason));
                }
                var failure = Classify(error, topic);
                if (failure != null) throw failure;
                _notices.Enqueue(SourceEvent.Notice(SourceEventKind.TransientError, Redact(error.ToString())));
                return null;
            }
        }

        // Whether the message lies past the end offset its partition had when it was assigned; the partition is paused
        // once its end is reached, so that nothing after it is fetched.
        private bool IsBeyondEnd(IConsumer<byte[]?, byte[]?> consumer, ConsumeResult<byte[]?, byte[]?> result)
        {
            var partition = result.TopicPartition;
            if (!_endOffsets.TryGetValue(partition, out var end)) end = _endOffsets[partition] = consumer.QueryWatermarkOffsets(partition, s_watermarkTimeout).High.Value;
            if (result.Offset.Value >= end) return true;
            if (result.Offset.Value + 1 >= end)
            {
                _atEnd.Add(partition);
                consumer.Pause(new[] { partition });
            }
            return false;
        }

        private IConsumer<byte[]?, byte[]?> Build()
        {
            var config = new ConsumerConfig();
            foreach (var setting in _options.Settings) config.Set(setting.Key, setting.Value);
            config.BootstrapServers = string.Join(",", _options.BootstrapServers);
            config.GroupId = _options.GroupId;
            config.AutoOffsetReset = _options.StartAt == StartPosition.Latest ? AutoOffsetReset.Latest : AutoOffsetReset.Earliest;
            // The group commits what was handed on, never what was only fetched: offsets are stored by Read, committed by librdkafka.
            config.EnableAutoCommit = _options.ResumeFrom is null;
            config.EnableAutoOffsetStore = false;
            config.EnablePartitionEof = true;
            if (_options.UserName != null)
            {
                config.SaslUsername = _options.UserName;
                config.SaslPassword = _options.Password;
                if (!_options.Settings.ContainsKey("sasl.mechanism") && !_options.Settings.ContainsKey("sasl.mechanisms")) config.SaslMechanism = SaslMechanism.Plain;
                if (!_options.Settings.ContainsKey("security.protocol")) config.SecurityProtocol = SecurityProtocol.SaslSsl;
            }
            try
            {
                return new ConsumerBuilder<byte[]?, byte[]?>(config)
                    .SetKeyDeserializer(Deserializers.ByteArray)
                    .SetValueDeserializer(Deserializers.ByteArray)
                    // librdkafka's log lines would go to the console: what matters reaches the error handler too.
                    .SetLogHandler((_, _) => { })
                    .SetErrorHandler((_, error) => OnError(error))
                    .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
                    .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions.Select(p => p.TopicPartition).ToList()))
                    .SetPartitionsLostHandler((_, partitions) => OnRevoked(partitions.Select(p => p.TopicPartition).ToList()))
                    .Build();
            }
            catch (Exception exception) when (exception is ArgumentException || exception is KafkaException || exception is InvalidOperationException)
            {
                var key = _options.Settings.Keys.FirstOrDefault(k => exception.Message.IndexOf("\"" + k + "\"", StringComparison.Ordinal) >= 0)
                    ?? _options.Settings.Keys.FirstOrDefault(k => exception.Message.IndexOf(k, StringComparison.Ordinal) >= 0)
                    ?? string.Join(", ", _options.Settings.Keys);
                throw new KafkaSourceException(KafkaSourceErrorId.InvalidKafkaSetting, key, Redact(exception.Message));
            }
        }

        private void OnAssigned(List<TopicPartition> partitions)
        {
            _hadAssignment = true;
            foreach (var partition in partitions)
            {
                _assigned.Add(partition);
                _atEnd.Remove(partition);
                _endOffsets.Remove(partition);
            }
            _notices.Enqueue(SourceEvent.Notice(SourceEventKind.InputsAssigned, Describe(partitions)));
        }

        private void OnRevoked(List<TopicPartition> partitions)
        {
            foreach (var partition in partitions)
            {
                _assigned.Remove(partition);
                _atEnd.Remove(partition);
                _endOffsets.Remove(partition);
            }
            _notices.Enqueue(SourceEvent.Notice(SourceEventKind.InputsRevoked, Describe(partitions)));
        }

        private void OnError(Error error)
        {
            var failure = Classify(error, null);
            if (failure is null && error.Code == ErrorCode.Local_AllBrokersDown && !_hadAssignment)
            {
                failure = new KafkaSourceException(KafkaSourceErrorId.KafkaBrokerUnreachable, string.Join(",", _options.BootstrapServers), Redact(error.Reason));
            }
            if (failure != null)
            {
                _failure ??= failure;
                return;
            }
            _notices.Enqueue(SourceEvent.Notice(SourceEventKind.TransientError, Redact(error.ToString())));
        }

        private KafkaSourceException? Classify(Error error, string? topic)
        {
            switch (error.Code)
            {
                case ErrorCode.Local_Authentication:
                case ErrorCode.SaslAuthenticationFailed:
                case ErrorCode.ClusterAuthorizationFailed:
                    return new KafkaSourceException(KafkaSourceErrorId.KafkaAuthorizationFailed, string.Join(",", _options.BootstrapServers), Redact(error.Reason));
                case ErrorCode.TopicAuthorizationFailed:
                    return new KafkaSourceException(KafkaSourceErrorId.KafkaAuthorizationFailed, topic ?? string.Join(", ", _options.Topics), Redact(error.Reason));
                case ErrorCode.GroupAuthorizationFailed:
                    return new KafkaSourceException(KafkaSourceErrorId.KafkaAuthorizationFailed, _options.GroupId, Redact(error.Reason));
            }
            return error.IsFatal ? new KafkaSourceException(KafkaSourceErrorId.KafkaFatalError, string.Join(",", _options.BootstrapServers), Redact(error.ToString())) : null;
        }

        // librdkafka may quote a value it refuses: no setting's value, and never the password, leaves this class.
        private string Redact(string text)
        {
            var secrets = _options.Settings.Values.Where(value => value.Length >= 3).ToList();
            if (!string.IsNullOrEmpty(_options.Password)) secrets.Add(_options.Password!);
            foreach (var secret in secrets.OrderByDescending(value => value.Length)) text = text.Replace(secret, "***");
            return text;
        }

        private static string Describe(IEnumerable<TopicPartition> partitions) =>
            string.Join(", ", partitions.Select(p => p.Topic + "/" + p.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        private static DateTimeOffset? TimestampOf(Timestamp timestamp) =>
            timestamp.Type == TimestampType.NotAvailable ? null : DateTimeOffset.FromUnixTimeMilliseconds(timestamp.UnixTimestampMs);

        private static string? KeyOf(byte[]? key) => key is null ? null : System.Text.Encoding.UTF8.GetString(key);
    }
}
#endif
