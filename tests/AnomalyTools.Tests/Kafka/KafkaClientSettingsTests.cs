using System.Collections;
using AnomalyTools.Kafka;
using Confluent.Kafka;
using Xunit;

namespace AnomalyTools.Tests.Kafka;

public sealed class KafkaClientSettingsTests
{
    private const string Password = "Pa55-word-Secret-7";
    private static readonly IReadOnlyDictionary<string, string> s_owned = new Dictionary<string, string> { ["acks"] = "all" };

    [Fact]
    public void A_credential_means_SASL_over_TLS_with_PLAIN_unless_the_settings_say_otherwise()
    {
        var plain = new KafkaClientSettings(["b1:9093", "b2:9093"], null, "alice", Password).CreateConfig<ProducerConfig>(s_owned);
        Assert.Equal("b1:9093,b2:9093", plain.BootstrapServers);
        Assert.Equal(SecurityProtocol.SaslSsl, plain.SecurityProtocol);
        Assert.Equal(SaslMechanism.Plain, plain.SaslMechanism);
        Assert.Equal("alice", plain.SaslUsername);
        Assert.Equal(Password, plain.SaslPassword);
        Assert.Equal(Acks.All, plain.Acks);

        var scram = new KafkaClientSettings(["b1:9092"], new Hashtable { ["sasl.mechanism"] = "SCRAM-SHA-512", ["security.protocol"] = "sasl_plaintext" }, "alice", Password)
            .CreateConfig<ProducerConfig>(s_owned);
        Assert.Equal(SecurityProtocol.SaslPlaintext, scram.SecurityProtocol);
        Assert.Equal(SaslMechanism.ScramSha512, scram.SaslMechanism);
    }

    [Fact]
    public void Values_are_written_as_librdkafka_reads_them()
    {
        var config = new KafkaClientSettings(["b:1"], new Hashtable { ["socket.keepalive.enable"] = true, ["linger.ms"] = 5, ["debug"] = new object[] { "broker", "security" } }, null, null)
            .CreateConfig<ProducerConfig>(s_owned);
        Assert.Equal("true", config.Get("socket.keepalive.enable"));
        Assert.Equal("5", config.Get("linger.ms"));
        Assert.Equal("broker,security", config.Get("debug"));
        Assert.Null(config.SecurityProtocol);
    }

    [Theory]
    [InlineData("bootstrap.servers", nameof(KafkaSettingProblem.GivenByParameter))]
    [InlineData("SASL.Password", nameof(KafkaSettingProblem.GivenByParameter))]
    [InlineData("sasl.username", nameof(KafkaSettingProblem.GivenByParameter))]
    [InlineData("", nameof(KafkaSettingProblem.Empty))]
    public void Settings_given_by_parameters_or_empty_are_refused_by_name(string key, string problemName)
    {
        var problem = Enum.Parse<KafkaSettingProblem>(problemName);
        var exception = Assert.Throws<KafkaSettingException>(() => new KafkaClientSettings(["b:1"], new Hashtable { [key] = "x" }, null, null));
        Assert.Equal(problem, exception.Problem);
        Assert.Equal(key, exception.Setting);
    }

    [Fact]
    public void A_setting_without_a_value_is_refused()
    {
        var exception = Assert.Throws<KafkaSettingException>(() => new KafkaClientSettings(["b:1"], new Hashtable { ["linger.ms"] = null }, null, null));
        Assert.Equal(KafkaSettingProblem.NoValue, exception.Problem);
    }

    [Fact]
    public void A_setting_the_client_owns_is_refused_when_the_config_is_made()
    {
        var settings = new KafkaClientSettings(["b:1"], new Hashtable { ["ACKS"] = "1" }, null, null);
        var exception = Assert.Throws<KafkaSettingException>(() => settings.CreateConfig<ProducerConfig>(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["acks"] = "all" }));
        Assert.Equal(KafkaSettingProblem.Reserved, exception.Problem);
        Assert.Equal("ACKS", exception.Setting);
    }

    [Theory]
    [InlineData("sasl.password", true)]
    [InlineData("ssl.key.password", true)]
    [InlineData("ssl.keystore.password", true)]
    [InlineData("sasl.oauthbearer.client.secret", true)]
    [InlineData("ssl.key.pem", true)]
    [InlineData("sasl.oauthbearer.config", true)]
    [InlineData("ssl.ca.location", false)]
    [InlineData("sasl.mechanism", false)]
    public void Secrets_are_known_by_their_names(string key, bool secret) => Assert.Equal(secret, KafkaClientSettings.IsSecret(key));

    [Fact]
    public void ToString_and_redacted_text_never_show_a_secret()
    {
        var settings = new KafkaClientSettings(["b:1"], new Hashtable { ["ssl.key.password"] = "key-Secret-9", ["ssl.ca.location"] = "/ca.pem" }, "alice", Password);

        var text = settings.ToString();
        Assert.DoesNotContain(Password, text);
        Assert.DoesNotContain("key-Secret-9", text);
        Assert.Contains("/ca.pem", text);
        Assert.Contains("alice", text);

        var redacted = settings.Redact($"login with {Password} and key-Secret-9 failed");
        Assert.Equal($"login with {KafkaClientSettings.RedactedValue} and {KafkaClientSettings.RedactedValue} failed", redacted);
    }
}
