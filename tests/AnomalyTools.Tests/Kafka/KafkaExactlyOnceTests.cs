using System.Globalization;
using AnomalyTools.Checkpoints;
using AnomalyTools.Tests.Pipelines;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace AnomalyTools.Tests.Kafka;

/// <summary>
/// Kafka into part files with -ResumeFrom: each partition is read from the output's checkpoint, so a pipeline stopped or
/// killed at any moment and run again commits every alert exactly once; the committed positions also reach the group.
/// Each test has its own group ids: the mock refuses plain commits in a group that once had a subscribed member.
/// </summary>
public sealed class KafkaExactlyOnceTests(ITestOutputHelper log) : IDisposable
{
    private const string Topic = "payments";
    private readonly TempDirectory _temp = new();
    private readonly List<string> _expected = [];
    private int _messages;

    private string Output => _temp.Combine("out");

    [Fact]
    public void A_resumed_run_reads_on_from_the_checkpoint_and_commits_the_positions_to_the_group()
    {
        using var cluster = new MockKafkaCluster();
        const string Job =
            "Import-Transaction -BootstrapServer $servers -Topic payments -GroupId resume-group -ResumeFrom $out -StopAtEnd | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out";
        using var session = new PowerShellSession();
        Produce(cluster.BootstrapServers, 60);

        var first = session.Run(Job, new { servers = cluster.BootstrapServers, @out = Output });
        Assert.Empty(first.Errors);
        AssertCommittedEqualsExpected();
        Produce(cluster.BootstrapServers, 60);
        var second = session.Run(Job, new { servers = cluster.BootstrapServers, @out = Output });
        Assert.Empty(second.Errors);
        AssertCommittedEqualsExpected();
        var third = session.Run(Job, new { servers = cluster.BootstrapServers, @out = Output });
        Assert.Empty(third.Errors);
        AssertCommittedEqualsExpected();

        var positions = new FolderCheckpointStore(Output).ReadPositions();
        Assert.Equal(GroupOffsets(cluster.BootstrapServers, "resume-group"), CheckpointOffsets(positions));
    }

    [Fact]
    public void Killed_and_restarted_thirty_times_every_alert_is_committed_exactly_once()
    {
        const int Kills = 30;
        var random = new Random(20261202);
        using var cluster = new MockKafkaClusterProcess();
        // Parts of about thirty alerts and a short roll: many commits per run, so kills land in every step of committing.
        var job = $"Import-Transaction -BootstrapServer {cluster.BootstrapServers} -Topic {Topic} -GroupId kill-group -ResumeFrom ./out -IdleTimeout 3 | " +
            "Select-SuspiciousTransaction | Export-SuspiciousTransaction ./out -MaxPartSize 600 -RolloverInterval 0.5";
        Produce(cluster.BootstrapServers, 3000);
        var (kills, completions) = (0, 0);

        while (kills < Kills)
        {
            var partsBefore = OutputFolderContent.CommittedParts(Output).Length;
            using var shell = new ShellProcess(_temp.Path, "-Command", job);
            Eventually.Until(() => shell.HasExited || OutputFolderContent.CommittedParts(Output).Length > partsBefore, "the run to commit a part");
            Thread.Sleep(random.Next(0, 300));
            if (shell.HasExited)
            {
                Assert.True(shell.WaitForExit() == 0, shell.Error);
                AssertCommittedEqualsExpected();
                completions++;
                Produce(cluster.BootstrapServers, 3000);
                continue;
            }
            shell.Kill();
            kills++;
            AssertCommittedIsSubsetOfExpected();
        }

        var last = ShellProcess.Run(_temp.Path, "-Command", job);
        Assert.True(last.ExitCode == 0, last.Error);
        AssertCommittedEqualsExpected();
        var rerun = ShellProcess.Run(_temp.Path, "-Command", job);
        Assert.True(rerun.ExitCode == 0, rerun.Error);
        AssertCommittedEqualsExpected();
        Assert.True(cluster.IsRunning);
        log.WriteLine($"{kills} kills, {completions} runs that finished first, {_expected.Count} alerts in {OutputFolderContent.CommittedParts(Output).Length} parts.");
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public void A_signal_stops_the_run_and_commits_what_it_read(string signal)
    {
        using var cluster = new MockKafkaClusterProcess();
        var job = $"Import-Transaction -BootstrapServer {cluster.BootstrapServers} -Topic {Topic} -GroupId signal-{signal} -ResumeFrom ./out | " +
            "Select-SuspiciousTransaction | Export-SuspiciousTransaction ./out -MaxPartSize 600";
        Produce(cluster.BootstrapServers, 3000);
        using (var shell = new ShellProcess(_temp.Path, "-Command", job))
        {
            Eventually.Until(() => OutputFolderContent.CommittedParts(Output).Length > 0, "the run to commit a part");
            shell.Signal(signal);
            Assert.Equal(130, shell.WaitForExit());
        }
        Assert.Empty(Directory.GetFiles(Output, ".*.inprogress"));
        AssertCommittedIsSubsetOfExpected();

        // Without -IdleTimeout or a signal a live run would not end: the next one reads to the end and stops.
        var rest = ShellProcess.Run(_temp.Path, "-Command", job.Replace("-ResumeFrom ./out", "-ResumeFrom ./out -StopAtEnd", StringComparison.Ordinal));
        Assert.True(rest.ExitCode == 0, rest.Error);
        AssertCommittedEqualsExpected();
    }

    [Fact]
    public void Kafka_into_Kafka_killed_five_times_every_alert_reaches_the_topic_and_each_duplicate_has_its_id()
    {
        const int Kills = 5;
        var random = new Random(20261203);
        using var cluster = new MockKafkaClusterProcess();
        // A short session: a killed member's partitions go to the next run after seconds, not minutes (see issue #17).
        var job = $"Import-Transaction -BootstrapServer {cluster.BootstrapServers} -Topic {Topic} -GroupId relay -IdleTimeout 3 -KafkaSetting @{{ 'session.timeout.ms' = 6000 }} | " +
            $"Select-SuspiciousTransaction | Export-SuspiciousTransaction -BootstrapServer {cluster.BootstrapServers} -Topic alerts";
        Produce(cluster.BootstrapServers, 3000);

        for (var kills = 0; kills < Kills;)
        {
            var alertsBefore = MessageCount(cluster.BootstrapServers, "alerts");
            using var shell = new ShellProcess(_temp.Path, "-Command", job);
            Eventually.Until(() => shell.HasExited || MessageCount(cluster.BootstrapServers, "alerts") > alertsBefore, "the run to produce an alert");
            Thread.Sleep(random.Next(0, 300));
            if (shell.HasExited)
            {
                Assert.True(shell.WaitForExit() == 0, shell.Error);
                Produce(cluster.BootstrapServers, 3000);
                continue;
            }
            shell.Kill();
            kills++;
        }
        var last = ShellProcess.Run(_temp.Path, "-Command", job);
        Assert.True(last.ExitCode == 0, last.Error);

        var alerts = KafkaMessages.ReadAll(cluster.BootstrapServers, "alerts")
            .Select(m => (Id: m.Header("alert-id"), Transaction: System.Text.Json.JsonDocument.Parse(m.Message.Value).RootElement.GetProperty("transactionId").GetString()!))
            .ToList();
        var expectedIds = _expected.Select(line => line.Split(',')[0]).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(expectedIds.Order(StringComparer.Ordinal), alerts.Select(a => a.Transaction).Distinct().Order(StringComparer.Ordinal));
        Assert.All(alerts.GroupBy(a => a.Transaction), copies => Assert.Single(copies.Select(c => c.Id).Distinct()));
        Assert.Equal(expectedIds.Count, alerts.Select(a => a.Id).Distinct().Count());
        log.WriteLine($"{Kills} kills, {expectedIds.Count} alerts expected, {alerts.Count} on the topic.");
    }

    public void Dispose() => _temp.Dispose();

    private static long MessageCount(string servers, string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = servers, GroupId = "counter" }).Build();
        try
        {
            return Enumerable.Range(0, 4).Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
        }
        catch (KafkaException)
        {
            // No alert was produced yet: the topic does not exist.
            return 0;
        }
    }

    // Messages spread over the topic's partitions by key; every third one is suspicious (an amount over the default threshold).
    private void Produce(string servers, int count)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = servers, EnableIdempotence = true }).Build();
        for (var i = 0; i < count; i++)
        {
            var id = ++_messages;
            var suspicious = id % 3 == 0;
            var amount = (suspicious ? 8000.25m + id : 10m + id % 50).ToString(CultureInfo.InvariantCulture);
            var customer = "C" + (id % 97).ToString(CultureInfo.InvariantCulture);
            producer.Produce(Topic, new Message<string, string>
            {
                Key = customer,
                Value = $"{{\"transaction_id\":\"{id}\",\"customer_id\":\"{customer}\",\"amount\":{amount}}}",
            });
            if (suspicious) _expected.Add($"{id}, {customer}, {amount}");
        }
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }

    // Partitions interleave, so the output's order is only each partition's: compared as sets, each line once.
    private void AssertCommittedEqualsExpected()
    {
        var committed = OutputFolderContent.CommittedLines(Output);
        Assert.Equal(committed.Length, committed.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(_expected.Order(StringComparer.Ordinal), committed.Order(StringComparer.Ordinal));
    }

    private void AssertCommittedIsSubsetOfExpected()
    {
        var committed = OutputFolderContent.CommittedLines(Output);
        Assert.Equal(committed.Length, committed.Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(committed.Except(_expected, StringComparer.Ordinal));
    }

    private static Dictionary<int, long> CheckpointOffsets(InputPositions positions) =>
        Enumerable.Range(0, 4).Where(p => positions.NextOffset(Topic, p).HasValue).ToDictionary(p => p, p => positions.NextOffset(Topic, p)!.Value);

    private static Dictionary<int, long> GroupOffsets(string servers, string group)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = servers, GroupId = group }).Build();
        var committed = consumer.Committed(Enumerable.Range(0, 4).Select(p => new TopicPartition(Topic, p)), TimeSpan.FromSeconds(10));
        return committed.Where(c => c.Offset != Offset.Unset).ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
    }
}
