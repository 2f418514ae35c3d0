using System.Management.Automation;
using System.Text;
using AnomalyTools.Tests.Pipelines;
using Confluent.Kafka;
using Xunit;

namespace AnomalyTools.Tests.Kafka;

/// <summary>Import-Transaction -BootstrapServer against librdkafka's mock cluster, in a hosted engine.</summary>
public sealed class KafkaImportTests : IDisposable
{
    private static readonly string[] s_seedAlerts = ["1002", "1005", "1009", "1011", "1018", "1031", "1036", "1041", "1042"];
    private readonly MockKafkaCluster _cluster = new();
    private readonly PowerShellSession _session = new();
    private readonly TempDirectory _temp = new();

    [Fact]
    public void The_seed_rows_as_JSON_messages_give_the_nine_alerts_with_where_each_came_from()
    {
        _cluster.Produce("transactions", SeedRows().Select(row => ((string?)row["customer_id"], Json(row))));

        var result = _session.Run(
            "Import-Transaction -BootstrapServer $servers -Topic transactions -GroupId alerts -StopAtEnd | Select-SuspiciousTransaction",
            new { servers = _cluster.BootstrapServers });

        var flagged = result.Objects<Transaction>();
        Assert.Equal(s_seedAlerts, flagged.Select(t => t.TransactionId).Order(StringComparer.Ordinal));
        Assert.Equal(["MissingRequiredValue", "MissingRequiredValue"], result.ErrorIds);
        var first = flagged.Single(t => t.TransactionId == "1002");
        Assert.Equal("9582.15", first.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("C012", first.Message!.Key);
        Assert.Equal("transactions", first.Message.Topic);
        Assert.Equal(first.Message.Position, first.Source);
        Assert.Equal($"transactions/{first.Message.Partition}@{first.Message.Offset}", first.Source);
        Assert.Equal(0, first.LineNumber);
        Assert.NotNull(first.Message.Timestamp);
        Assert.Equal("Delta Air Lines", first.Attributes["merchant"]);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 8, 34, 0, TimeSpan.Zero), first.Timestamp);
    }

    [Fact]
    public void A_JSON_amount_is_read_from_its_digits_never_through_a_double()
    {
        _cluster.Produce("amounts", [("C1", "{\"transaction_id\":\"1\",\"customer_id\":\"C1\",\"amount\":12345678901234567.89}"), ("C1", "{\"transaction_id\":\"2\",\"customer_id\":\"C1\",\"amount\":9.5E3}")]);

        var transactions = _session.Run("Import-Transaction -BootstrapServer $servers -Topic amounts -GroupId g -StopAtEnd", new { servers = _cluster.BootstrapServers }).Objects<Transaction>();

        Assert.Equal([12345678901234567.89m, 9500m], transactions.Select(t => t.Amount));
    }

    [Fact]
    public void CSV_values_are_read_under_the_given_header()
    {
        var lines = File.ReadAllLines(Path.Combine(TestEnvironment.RepoRoot, "data", "data.csv"));
        _cluster.Produce("csv", lines.Skip(1).Select(line => ((string?)line.Split(',')[1], line)));

        var result = _session.Run(
            "Import-Transaction -BootstrapServer $servers -Topic csv -GroupId g -StopAtEnd -Header transaction_id, customer_id, amount, timestamp, merchant, category | Select-SuspiciousTransaction",
            new { servers = _cluster.BootstrapServers });

        Assert.Equal(s_seedAlerts, result.Objects<Transaction>().Select(t => t.TransactionId).Order(StringComparer.Ordinal));
        Assert.Equal(["MissingRequiredValue", "MissingRequiredValue"], result.ErrorIds);
        Assert.All(result.Errors, error => Assert.Matches(@"^csv/\d@\d+$", (string)error.TargetObject));
        Assert.Equal("travel", result.Objects<Transaction>().Single(t => t.TransactionId == "1002").Attributes["category"]);
    }

    [Fact]
    public void Bad_messages_are_row_errors_at_their_position_and_the_partition_goes_on()
    {
        _cluster.Produce("bad",
        [
            ("K", "{\"transaction_id\":\"1\",\"customer_id\":\"K\",\"amount\":\"abc\"}"),
            ("K", "not json"),
            ("K", "[1, 2]"),
            ("K", "{\"transaction_id\":\"2\",\"customer_id\":\"K\"}"),
            ("K", "{\"transaction_id\":\"3\",\"customer_id\":\"K\",\"amount\":9000.10}"),
        ]);
        var quarantine = _temp.Combine("quarantine.csv");

        var result = _session.Run(
            "Import-Transaction -BootstrapServer $servers -Topic bad -GroupId g -StopAtEnd -QuarantinePath $quarantine",
            new { servers = _cluster.BootstrapServers, quarantine });

        var good = Assert.Single(result.Objects<Transaction>());
        Assert.Equal("3", good.TransactionId);
        Assert.Equal(4, good.Message!.Offset);
        Assert.Equal(["InvalidAmount", "MessageNotJsonObject", "MessageNotJsonObject", "MissingRequiredValue"], result.ErrorIds);
        var partition = good.Message.Partition;
        Assert.Equal(Enumerable.Range(0, 4).Select(offset => $"bad/{partition}@{offset}"), result.Errors.Select(e => (string)e.TargetObject));
        var quarantined = File.ReadAllLines(quarantine);
        Assert.Equal(5, quarantined.Length);
        Assert.StartsWith($"bad/{partition}@1,0,MessageNotJsonObject,", quarantined[2]);
        Assert.EndsWith(",not json", quarantined[2]);
    }

    [Fact]
    public void An_error_budget_stops_the_import_as_for_files()
    {
        _cluster.Produce("budget", Enumerable.Range(0, 5).Select(i => ((string?)"K", "oops " + i)));

        var result = _session.Run(
            "Import-Transaction -BootstrapServer $servers -Topic budget -GroupId g -StopAtEnd -MaxErrors 2",
            new { servers = _cluster.BootstrapServers }, expectFailure: true);

        Assert.Equal(["MessageNotJsonObject", "MessageNotJsonObject", "MessageNotJsonObject", "ErrorBudgetExceeded"], result.ErrorIds);
    }

    [Fact]
    public void Without_a_committed_offset_Latest_starts_after_what_is_there_and_Earliest_before()
    {
        _cluster.Produce("start", [("C1", Json("1", "C1", "9000")), ("C2", Json("2", "C2", "10"))]);

        var latest = _session.Run("Import-Transaction -BootstrapServer $servers -Topic start -GroupId late -StartAt Latest -StopAtEnd", new { servers = _cluster.BootstrapServers });
        var earliest = _session.Run("Import-Transaction -BootstrapServer $servers -Topic start -GroupId early -StopAtEnd", new { servers = _cluster.BootstrapServers });

        Assert.Empty(latest.Output);
        Assert.Equal(["1", "2"], earliest.Objects<Transaction>().Select(t => t.TransactionId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_group_commits_what_was_read_so_the_next_run_reads_only_what_came_since()
    {
        _cluster.Produce("commits", [("C1", Json("1", "C1", "9000")), ("C2", Json("2", "C2", "10"))]);
        const string Command = "Import-Transaction -BootstrapServer $servers -Topic commits -GroupId same -StopAtEnd";

        var first = _session.Run(Command, new { servers = _cluster.BootstrapServers });
        var second = _session.Run(Command, new { servers = _cluster.BootstrapServers });
        _cluster.Produce("commits", [("C3", Json("3", "C3", "5"))]);
        var third = _session.Run(Command, new { servers = _cluster.BootstrapServers });

        Assert.Equal(["1", "2"], first.Objects<Transaction>().Select(t => t.TransactionId).Order(StringComparer.Ordinal));
        Assert.Empty(second.Output);
        Assert.Equal(["3"], third.Objects<Transaction>().Select(t => t.TransactionId));
    }

    [Fact]
    public void IdleTimeout_ends_reading_once_no_message_comes()
    {
        _cluster.Produce("idle", [("C1", Json("1", "C1", "9000"))]);

        using var pipeline = _session.Start("Import-Transaction -BootstrapServer $servers -Topic idle -GroupId g -IdleTimeout 2", new { servers = _cluster.BootstrapServers });
        pipeline.WaitForEnd();

        Assert.Equal(["1"], pipeline.Transactions.Select(t => t.TransactionId));
    }

    [Fact]
    public void Ctrl_C_stops_reading_and_commits_what_was_handed_on()
    {
        _cluster.Produce("live", [("C1", Json("1", "C1", "9000"))]);
        const string Command = "Import-Transaction -BootstrapServer $servers -Topic live -GroupId g";

        using (var pipeline = _session.Start(Command, new { servers = _cluster.BootstrapServers }))
        {
            Eventually.Until(() => pipeline.Output.Length == 1, "the message to be read");
            pipeline.Stop();
        }
        var again = _session.Run(Command + " -StopAtEnd", new { servers = _cluster.BootstrapServers });

        Assert.Empty(again.Output);
    }

    [Fact]
    public void Unreachable_brokers_stop_the_command_with_their_own_id()
    {
        var error = Terminating("Import-Transaction -BootstrapServer 127.0.0.1:1 -Topic t -GroupId g -StopAtEnd");

        Assert.Equal("KafkaBrokerUnreachable", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
    }

    [Fact]
    public void A_missing_topic_stops_the_command_with_its_own_id()
    {
        _cluster.Produce("exists", [("C1", Json("1", "C1", "1"))]);

        var error = Terminating("Import-Transaction -BootstrapServer $servers -Topic nosuchtopic -GroupId g -StopAtEnd -KafkaSetting @{ 'topic.metadata.propagation.max.ms' = 1000 }");

        Assert.Equal("KafkaTopicNotFound", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("nosuchtopic", error.TargetObject);
    }

    [Fact]
    public void An_unknown_setting_is_refused_by_its_key_and_no_secret_shows()
    {
        var error = Terminating(
            "Import-Transaction -BootstrapServer $servers -Topic t -GroupId g -StopAtEnd -KafkaSetting @{ 'no.such.setting' = 'x'; 'sasl.mechanism' = 'SCRAM-SHA-512' } " +
            "-Credential ([pscredential]::new('user', (ConvertTo-SecureString 'pa55-w0rd-never-shown' -AsPlainText -Force)))");

        Assert.Equal("InvalidKafkaSetting", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal("no.such.setting", error.TargetObject);
        Assert.DoesNotContain("pa55-w0rd-never-shown", error.ToString() + error.Exception);
    }

    [Fact]
    public void A_consumer_in_another_process_reads_what_was_produced_to_the_cluster_process()
    {
        using var cluster = new MockKafkaClusterProcess();
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            producer.Produce("remote", new Message<string, string> { Key = "C1", Value = Json("7", "C1", "8000.01") });
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        var result = _session.Run("Import-Transaction -BootstrapServer $servers -Topic remote -GroupId g -StopAtEnd | Select-SuspiciousTransaction", new { servers = cluster.BootstrapServers });

        Assert.Equal(["7"], result.Objects<Transaction>().Select(t => t.TransactionId));
        Assert.True(cluster.IsRunning);
    }

    public void Dispose()
    {
        _session.Dispose();
        _cluster.Dispose();
        _temp.Dispose();
    }

    private ErrorRecord Terminating(string command)
    {
        var result = _session.Run(command, new { servers = _cluster.BootstrapServers }, expectFailure: true);
        Assert.Empty(result.Output);
        return Assert.Single(result.Errors);
    }

    private static string Json(string id, string customer, string amount) =>
        $"{{\"transaction_id\":\"{id}\",\"customer_id\":\"{customer}\",\"amount\":{amount}}}";

    // The sample's rows as a producer would send them: amounts as JSON numbers, empty fields left out.
    private static string Json(IReadOnlyDictionary<string, string> row)
    {
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in row.Where(field => field.Value.Length > 0))
            {
                writer.WritePropertyName(name);
                if (name == "amount") writer.WriteRawValue(value);
                else writer.WriteStringValue(value);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static IEnumerable<IReadOnlyDictionary<string, string>> SeedRows()
    {
        using var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(Path.Combine(TestEnvironment.RepoRoot, "data", "data.csv"), Encoding.UTF8) { HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        var header = parser.ReadFields()!;
        var rows = new List<IReadOnlyDictionary<string, string>>();
        while (parser.ReadFields() is { } fields) rows.Add(header.Zip(fields).ToDictionary(p => p.First, p => p.Second));
        return rows;
    }
}
