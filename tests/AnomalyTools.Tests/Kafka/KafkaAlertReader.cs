using Confluent.Kafka;

namespace AnomalyTools.Tests.Kafka;

/// <summary>A mock cluster for a test class, and a plain consumer that reads a topic's messages as bytes.</summary>
public sealed class KafkaClusterFixture : IDisposable
{
    public MockKafkaCluster Cluster { get; } = new();

    /// <summary>Every message of <paramref name="topic"/> present now, keys, values and headers as the brokers hold their bytes.</summary>
    public IReadOnlyList<ConsumeResult<byte[], byte[]>> ReadBytes(string topic) => KafkaMessages.ReadAll(Cluster.BootstrapServers, topic);

    public void Dispose() => Cluster.Dispose();
}

internal static class KafkaMessages
{
    /// <summary>Every message of <paramref name="topic"/> present now on the brokers at <paramref name="servers"/>, by partition and offset.</summary>
    public static IReadOnlyList<ConsumeResult<byte[], byte[]>> ReadAll(string servers, string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = servers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
        var total = partitions.Sum(p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var read = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (read.Count < total && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is { IsPartitionEOF: false }) read.Add(result);
        }
        return read.OrderBy(r => r.Partition.Value).ThenBy(r => r.Offset.Value).ToList();
    }

    public static string Header(this ConsumeResult<byte[], byte[]> result, string name) =>
        System.Text.Encoding.UTF8.GetString(result.Message.Headers.GetLastBytes(name));

    public static bool HasHeader(this ConsumeResult<byte[], byte[]> result, string name) =>
        result.Message.Headers.TryGetLastBytes(name, out _);

    public static string Text(this byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes);

    public static string NewTopic(string name) => name + "-" + Guid.NewGuid().ToString("N")[..8];
}
