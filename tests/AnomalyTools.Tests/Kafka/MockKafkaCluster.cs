using Confluent.Kafka;

namespace AnomalyTools.Tests.Kafka;

/// <summary>
/// librdkafka's mock cluster, made for client tests: three brokers that speak the Kafka protocol on loopback TCP, so
/// that clients in this process, in a hosted PowerShell engine or in another process connect to it as to a real
/// cluster. It lives as long as the client that started it. Topics are created on first use with four partitions.
/// What it does not do (measured): transactions, CreateTopics, prompt group rebalances after a member dies; see
/// docs/kafka.md.
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    private readonly IProducer<byte[], byte[]> _owner;

    public MockKafkaCluster(int brokers = 3)
    {
        var config = new ProducerConfig();
        config.Set("test.mock.num.brokers", brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _owner = new ProducerBuilder<byte[], byte[]>(config).Build();
        using var admin = new DependentAdminClientBuilder(_owner.Handle).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        BootstrapServers = string.Join(",", metadata.Brokers.Select(b => $"{b.Host}:{b.Port}"));
    }

    /// <summary>The brokers' addresses, as <c>bootstrap.servers</c> takes them.</summary>
    public string BootstrapServers { get; }

    /// <summary>Produces each (key, value) to <paramref name="topic"/> and waits until every one is acknowledged.</summary>
    public void Produce(string topic, IEnumerable<(string? Key, string Value)> messages)
    {
        using var producer = new ProducerBuilder<string?, string>(new ProducerConfig { BootstrapServers = BootstrapServers, EnableIdempotence = true }).Build();
        foreach (var (key, value) in messages) producer.Produce(topic, new Message<string?, string> { Key = key, Value = value });
        if (producer.Flush(TimeSpan.FromSeconds(30)) != 0) throw new TimeoutException($"Messages to {topic} were not acknowledged within 30 s.");
    }

    /// <summary>Reads every message of <paramref name="topic"/> present now, from the start of each partition, in partition then offset order.</summary>
    public IReadOnlyList<ConsumeResult<string?, string>> ReadAll(string topic)
    {
        using var consumer = new ConsumerBuilder<string?, string>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = "reader-" + Guid.NewGuid().ToString("N"), EnableAutoCommit = false }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        var ends = partitions.ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var read = new List<ConsumeResult<string?, string>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (read.Count < ends.Values.Sum() && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is { IsPartitionEOF: false }) read.Add(result);
        }
        return read.OrderBy(r => r.Partition.Value).ThenBy(r => r.Offset.Value).ToList();
    }

    public void Dispose() => _owner.Dispose();
}
