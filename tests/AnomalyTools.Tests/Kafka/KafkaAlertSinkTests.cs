using System.Collections;
using System.Text;
using System.Text.Json;
using AnomalyTools.Kafka;
using AnomalyTools.Sources.Files;
using Xunit;

namespace AnomalyTools.Tests.Kafka;

/// <summary>The sink class itself, against librdkafka's mock cluster in this process.</summary>
public sealed class KafkaAlertSinkTests : IClassFixture<KafkaClusterFixture>, IDisposable
{
    private readonly KafkaClusterFixture _kafka;
    private readonly TempDirectory _temp = new();

    public KafkaAlertSinkTests(KafkaClusterFixture kafka)
    {
        _kafka = kafka;
    }

    private KafkaClientSettings Settings(IDictionary? settings = null) => new([_kafka.Cluster.BootstrapServers], settings, null, null);

    private KafkaAlertSink Sink(string topic, IDictionary? settings = null)
    {
        var sink = new KafkaAlertSink(Settings(settings), topic);
        sink.Connect(TimeSpan.FromSeconds(30));
        return sink;
    }

    private InputFile Input(string name)
    {
        var path = _temp.File(name, "transaction_id,customer_id,amount\n");
        return new InputFile(path, File.ReadAllBytes(path));
    }

    private static Transaction Row(InputFile input, long line, string customer = "C1") =>
        new Transaction("t" + line, customer, 9000m, source: input.Path, lineNumber: line).ReadFrom(input);

    [Fact]
    public void Acknowledged_positions_cover_each_input_through_its_last_delivered_alert()
    {
        var topic = KafkaMessages.NewTopic("alerts");
        var first = Input("first.csv");
        var second = Input("second.csv");
        using var sink = Sink(topic);

        Assert.Empty(sink.AcknowledgedThrough);
        foreach (var line in new long[] { 2, 5, 9 }) sink.Write(Row(first, line, "C" + line));
        sink.Write(Row(second, 3));
        sink.Write(new Transaction("converted", "C9", 9100m));
        sink.Flush(TimeSpan.FromSeconds(30));

        var positions = sink.AcknowledgedThrough.Cast<AnomalyTools.Checkpoints.FilePosition>().OrderBy(p => p.Path, StringComparer.Ordinal).ToList();
        Assert.Equal([(first.Path, 9L, first.Fingerprint.Hash), (second.Path, 3L, second.Fingerprint.Hash)], positions.Select(p => (p.Path, p.Line, p.Fingerprint.Hash)));
        Assert.Equal(5, sink.AcknowledgedCount);
        Assert.Equal(5, _kafka.ReadBytes(topic).Count);
    }

    [Fact]
    public void Acknowledged_positions_of_a_partition_are_its_next_offset_after_the_last_delivered_alert_and_are_reported()
    {
        var topic = KafkaMessages.NewTopic("alerts");
        using var sink = Sink(topic);
        var reported = new System.Collections.Concurrent.ConcurrentBag<AnomalyTools.Checkpoints.SourcePosition>();
        sink.PositionsCommitted += positions => { foreach (var position in positions) reported.Add(position); };

        foreach (var offset in new long[] { 4, 10 }) sink.Write(new Transaction("t" + offset, "C1", 9100m).ReadFrom(new TopicMessage("payments", 2, offset, null, "C1")));
        sink.Write(new Transaction("t7", "C2", 9100m).ReadFrom(new TopicMessage("payments", 0, 7, null, "C2")));
        sink.Flush(TimeSpan.FromSeconds(30));

        var positions = sink.AcknowledgedThrough.Cast<AnomalyTools.Checkpoints.PartitionOffset>().OrderBy(p => p.Partition).ToList();
        Assert.Equal([(0, 8L), (2, 11L)], positions.Select(p => (p.Partition, p.NextOffset)));
        Assert.Equal(11L, reported.OfType<AnomalyTools.Checkpoints.PartitionOffset>().Where(p => p.Partition == 2).Max(p => p.NextOffset));
        Assert.Equal(8L, reported.OfType<AnomalyTools.Checkpoints.PartitionOffset>().Single(p => p.Partition == 0).NextOffset);
    }

    [Fact]
    public void A_message_is_the_JsonLines_line_without_its_line_end_keyed_by_customer_with_its_origin_in_headers()
    {
        var topic = KafkaMessages.NewTopic("alerts");
        var input = Input("feed.csv");
        var transaction = Row(input, 7, "C042");
        using (var sink = Sink(topic))
        {
            sink.Write(transaction);
            sink.Flush(TimeSpan.FromSeconds(30));
        }

        var message = Assert.Single(_kafka.ReadBytes(topic));
        var line = new StringBuilder();
        new AnomalyTools.Sinks.Formats.JsonLinesRecordFormatter().AppendRecord(line, transaction);
        Assert.Equal(Encoding.UTF8.GetBytes(line.ToString().TrimEnd('\n')), message.Message.Value);
        Assert.Equal("C042", message.Message.Key.Text());
        Assert.Equal(input.Path, message.Header(AlertOrigin.SourceHeader));
        Assert.Equal("7", message.Header(AlertOrigin.LineHeader));
        Assert.Equal(input.Fingerprint.Hash, message.Header(AlertOrigin.FingerprintHeader));
        Assert.Equal(AlertOrigin.Of(transaction).AlertId, message.Header(AlertOrigin.AlertIdHeader));
    }

    [Fact]
    public void The_alert_id_is_the_same_for_the_same_row_and_differs_for_another_row_or_transaction()
    {
        var input = Input("feed.csv");
        var again = new InputFile(input.Path, Encoding.UTF8.GetBytes("transaction_id,customer_id,amount\n1,C1,9000\n"));
        var id = AlertOrigin.Of(Row(input, 4)).AlertId;

        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(id, AlertOrigin.Of(Row(again, 4)).AlertId);
        Assert.NotEqual(id, AlertOrigin.Of(Row(input, 5)).AlertId);
        Assert.NotEqual(id, AlertOrigin.Of(new Transaction("other", "C1", 9000m, source: input.Path, lineNumber: 4).ReadFrom(input)).AlertId);
        Assert.NotEqual(id, AlertOrigin.Of(Row(Input("other.csv"), 4)).AlertId);
    }

    [Fact]
    public void A_message_the_brokers_cannot_take_fails_the_sink_with_DeliveryFailed_and_later_writes_too()
    {
        var topic = KafkaMessages.NewTopic("alerts");
        using var sink = Sink(topic, new Hashtable { ["message.max.bytes"] = 2000 });
        var huge = new Transaction("big", "C1", 9000m, attributes: new AttributeMap(new AttributeSchema(["note"]), [new string('x', 5000)]));

        Assert.Equal(KafkaSinkFailure.DeliveryFailed, Assert.Throws<KafkaSinkException>(() => sink.Write(huge)).Failure);
        Assert.Equal(KafkaSinkFailure.DeliveryFailed, Assert.Throws<KafkaSinkException>(() => sink.Write(new Transaction("small", "C1", 9000m))).Failure);
    }

    [Fact]
    public void An_unknown_setting_is_named()
    {
        var exception = Assert.Throws<KafkaSettingException>(() => Sink(KafkaMessages.NewTopic("alerts"), new Hashtable { ["no.such.setting"] = "1" }));
        Assert.Equal(KafkaSettingProblem.Unknown, exception.Problem);
        Assert.Equal("no.such.setting", exception.Setting);
    }

    [Fact]
    public void A_closed_port_is_BrokerUnreachable_after_the_connect_timeout()
    {
        using var sink = new KafkaAlertSink(new KafkaClientSettings([ClosedPort.Address()], null, null, null), "alerts");
        var exception = Assert.Throws<KafkaSinkException>(() => sink.Connect(TimeSpan.FromSeconds(2)));
        Assert.Equal(KafkaSinkFailure.BrokerUnreachable, exception.Failure);
    }

    public void Dispose() => _temp.Dispose();
}

internal static class ClosedPort
{
    /// <summary>host:port of a loopback port that nothing listens on (it was free a moment ago).</summary>
    public static string Address()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return "127.0.0.1:" + port;
    }
}
