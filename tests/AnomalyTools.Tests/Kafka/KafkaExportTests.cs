using System.Text;
using System.Text.Json;
using AnomalyTools.Kafka;
using AnomalyTools.Tests.Pipelines;
using Xunit;

namespace AnomalyTools.Tests.Kafka;

/// <summary>Export-SuspiciousTransaction -BootstrapServer -Topic in the hosted engine, against the mock cluster, read back with a plain consumer.</summary>
public sealed class KafkaExportTests : IClassFixture<PowerShellFixture>, IClassFixture<KafkaClusterFixture>, IDisposable
{
    private const string Export = "Import-Transaction $data | Select-SuspiciousTransaction | Export-SuspiciousTransaction -BootstrapServer $servers -Topic $topic";
    private static readonly string s_data = Path.Combine(TestEnvironment.RepoRoot, "data", "data.csv");

    private readonly PowerShellSession _shell;
    private readonly KafkaClusterFixture _kafka;
    private readonly TempDirectory _temp = new();

    public KafkaExportTests(PowerShellFixture fixture, KafkaClusterFixture kafka)
    {
        _shell = fixture.Session;
        _kafka = kafka;
    }

    private string Servers => _kafka.Cluster.BootstrapServers;

    [Fact]
    public void The_seeds_nine_alerts_are_nine_messages_keyed_by_customer_with_the_JsonLines_objects_and_their_origin()
    {
        var topic = KafkaMessages.NewTopic("alerts");
        var result = _shell.Run(Export + " -PassThru", new { data = s_data, servers = Servers, topic });
        var lines = _shell.Run("Import-Transaction $data | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -Format JsonLines", new { data = s_data, @out = _temp.Combine("json") });

        Assert.Equal(["MissingRequiredValue", "MissingRequiredValue"], result.ErrorIds);
        Assert.Equal(["1002", "1005", "1009", "1011", "1018", "1031", "1036", "1041", "1042"], result.Objects<Transaction>().Select(t => t.TransactionId));
        Assert.Equal(["MissingRequiredValue", "MissingRequiredValue"], lines.ErrorIds);

        var messages = _kafka.ReadBytes(topic);
        Assert.Equal(9, messages.Count);
        var expectedValues = File.ReadAllText(Path.Combine(_temp.Combine("json"), "part-0-00000")).TrimEnd('\n').Split('\n').Order(StringComparer.Ordinal);
        Assert.Equal(expectedValues.Select(Encoding.UTF8.GetBytes), messages.Select(m => m.Message.Value).OrderBy(v => v.Text(), StringComparer.Ordinal));
        Assert.Equal(["C002", "C005", "C007", "C008", "C012", "C012", "C014", "C015", "C015"], messages.Select(m => m.Message.Key.Text()).Order(StringComparer.Ordinal));
        Assert.All(messages, m => Assert.Equal(s_data, m.Header(AlertOrigin.SourceHeader)));
        Assert.Equal([4L, 7L, 11L, 13L, 20L, 33L, 38L, 43L, 44L], messages.Select(m => long.Parse(m.Header(AlertOrigin.LineHeader))).Order());
        Assert.All(messages, m => Assert.Equal(TestInputs.AsItIsNow(s_data).Fingerprint.Hash, m.Header(AlertOrigin.FingerprintHeader)));
        Assert.Equal(9, messages.Select(m => m.Header(AlertOrigin.AlertIdHeader)).Distinct().Count());
        // Each customer's alerts stay in their order: one key, one partition.
        Assert.Equal(["1002", "1036"], messages.Where(m => m.Message.Key.Text() == "C012").Select(m => JsonDocument.Parse(m.Message.Value).RootElement.GetProperty("transactionId").GetString()));
    }

    [Fact]
    public void Running_the_same_pipeline_again_repeats_every_alert_with_the_same_alert_id()
    {
        var topic = KafkaMessages.NewTopic("alerts");
        _shell.Run(Export, new { data = s_data, servers = Servers, topic });
        _shell.Run(Export, new { data = s_data, servers = Servers, topic });

        var byId = _kafka.ReadBytes(topic).GroupBy(m => m.Header(AlertOrigin.AlertIdHeader)).ToList();
        Assert.Equal(9, byId.Count);
        Assert.All(byId, duplicates =>
        {
            Assert.Equal(2, duplicates.Count());
            Assert.Single(duplicates.Select(m => m.Message.Value.Text()).Distinct());
        });
    }

    [Fact]
    public void Hostile_fields_cannot_forge_JSON_nor_another_message()
    {
        var topic = KafkaMessages.NewTopic("alerts");
        var forged = "x\",\"amount\":1,\"y\":\"";
        var input = _temp.File("hostile.csv",
            "transaction_id,customer_id,amount,note\n" +
            $"\"{forged.Replace("\"", "\"\"")}\",C1,9000,\"line one\nline two\"\n" +
            "\"}\n{\"\"transactionId\"\":\"\"2\"\"}\",\"C\u0001\u001b[31m\",9100,\"tab\there \u2028 \\ back\"\n");

        var result = _shell.Run(Export, new { data = input, servers = Servers, topic });

        Assert.Empty(result.Errors);
        var values = _kafka.ReadBytes(topic).Select(m => JsonDocument.Parse(m.Message.Value).RootElement)
            .OrderBy(v => v.GetProperty("amount").GetDecimal()).ToList();
        Assert.Equal(2, values.Count);
        Assert.Equal(forged, values[0].GetProperty("transactionId").GetString());
        Assert.Equal(9000m, values[0].GetProperty("amount").GetDecimal());
        Assert.Equal("line one\nline two", values[0].GetProperty("attributes").GetProperty("note").GetString());
        Assert.Equal("}\n{\"transactionId\":\"2\"}", values[1].GetProperty("transactionId").GetString());
        Assert.Equal("C\u0001\u001b[31m", values[1].GetProperty("customerId").GetString());
        Assert.Equal("tab\there \u2028 \\ back", values[1].GetProperty("attributes").GetProperty("note").GetString());
    }

    [Theory]
    [InlineData("@{ 'no.such.setting' = 1 }", "InvalidKafkaSetting", "no.such.setting")]
    [InlineData("@{ 'linger.ms' = 'soon' }", "InvalidKafkaSetting", "linger.ms")]
    [InlineData("@{ 'enable.idempotence' = $false }", "ReservedKafkaSetting", "enable.idempotence")]
    [InlineData("@{ acks = 1 }", "ReservedKafkaSetting", "acks")]
    [InlineData("@{ 'bootstrap.servers' = 'elsewhere:9092' }", "KafkaSettingGivenByParameter", "bootstrap.servers")]
    [InlineData("@{ 'sasl.password' = 'p' }", "KafkaSettingGivenByParameter", "sasl.password")]
    public void A_setting_that_cannot_be_used_stops_the_command_naming_it(string settings, string errorId, string setting)
    {
        var result = _shell.Run(Export + " -KafkaSetting " + settings + " -PassThru", new { data = s_data, servers = Servers, topic = KafkaMessages.NewTopic("alerts") }, expectFailure: true);

        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors, e => e.FullyQualifiedErrorId.StartsWith(errorId + ",", StringComparison.Ordinal));
        Assert.Equal(setting, error.TargetObject);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [Fact]
    public void A_closed_port_stops_the_command_with_KafkaBrokerUnreachable()
    {
        var result = _shell.Run(Export + " -ConnectTimeout 2 -PassThru", new { data = s_data, servers = ClosedPort.Address(), topic = "alerts" }, expectFailure: true);

        Assert.Empty(result.Output);
        Assert.Equal(["KafkaBrokerUnreachable"], result.ErrorIds.Where(id => id.StartsWith("Kafka", StringComparison.Ordinal)));
        Assert.Equal(System.Management.Automation.ErrorCategory.ConnectionError, result.Errors.Single(e => e.FullyQualifiedErrorId.StartsWith("KafkaBrokerUnreachable")).CategoryInfo.Category);
    }

    [Fact]
    public void A_message_too_large_for_the_brokers_stops_the_command_with_KafkaDeliveryFailed()
    {
        var input = _temp.File("large.csv", "transaction_id,customer_id,amount,note\n1,C1,9000,small\n2,C1,9100," + new string('x', 5000) + "\n3,C1,9200,small\n");

        var result = _shell.Run(Export + " -KafkaSetting @{ 'message.max.bytes' = 2000 } -PassThru", new { data = input, servers = Servers, topic = KafkaMessages.NewTopic("alerts") }, expectFailure: true);

        Assert.Equal(["1"], result.Objects<Transaction>().Select(t => t.TransactionId));
        Assert.Equal(["KafkaDeliveryFailed"], result.ErrorIds);
    }

    [Fact]
    public void WhatIf_produces_nothing()
    {
        var topic = KafkaMessages.NewTopic("alerts");
        var whatIf = _shell.Run(Export + " -WhatIf -PassThru", new { data = s_data, servers = Servers, topic });
        _shell.Run(Export, new { data = s_data, servers = Servers, topic });

        Assert.Empty(whatIf.Output);
        Assert.Equal(9, _kafka.ReadBytes(topic).Count);
    }

    [Fact]
    public void A_password_appears_in_no_stream_no_error_and_no_object_even_with_every_debug_line()
    {
        const string password = "Zq8-Unique-Passw0rd-4711";
        const string keyPassword = "Kp3-Unique-KeySecret-0815";
        var script = """
            $credential = [pscredential]::new('alice', (ConvertTo-SecureString $password -AsPlainText -Force))
            $settings = @{ 'security.protocol' = 'SASL_PLAINTEXT'; 'debug' = 'all'; 'ssl.key.password' = $keyPassword }
            $records = & {
                Import-Transaction $data | Select-SuspiciousTransaction |
                    Export-SuspiciousTransaction -BootstrapServer $servers -Topic $topic -Credential $credential -KafkaSetting $settings -PassThru -Verbose -Debug -ConnectTimeout 10
            } *>&1
            foreach ($record in $records) { $record.GetType().FullName; $record | Out-String; "$record" }
            foreach ($e in $Error) { $e | Format-List * -Force | Out-String; $e.Exception.ToString(); $e.InvocationInfo | Out-String }
            """;
        var result = _shell.Run(script, new { data = s_data, servers = Servers, topic = KafkaMessages.NewTopic("alerts"), password, keyPassword }, expectFailure: true);

        Assert.True(result.ErrorIds.Length == 0 || result.ErrorIds.All(id => id.StartsWith("Kafka")), string.Join(",", result.ErrorIds));
        var text = string.Join("\n", result.Output.Select(o => o.ToString()).Concat(result.Errors.Select(e => e.ToString() + e.Exception)).Concat(result.Warnings));
        Assert.Contains(typeof(System.Management.Automation.VerboseRecord).FullName!, text);
        Assert.Contains(typeof(System.Management.Automation.DebugRecord).FullName!, text);
        Assert.DoesNotContain(password, text);
        Assert.DoesNotContain(keyPassword, text);
    }

    public void Dispose() => _temp.Dispose();
}
