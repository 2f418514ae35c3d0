using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Confluent.Kafka;

namespace AnomalyTools.Kafka
{
    /// <summary>
    /// What a Kafka client of the module connects with, shared by the source and the sink: the bootstrap servers, the
    /// user's librdkafka settings and a user name and password for SASL. Turns them into a Confluent.Kafka config, refusing
    /// the settings the module owns, and knows which values are secrets so that no text it hands out shows them.
    /// </summary>
    internal sealed class KafkaClientSettings
    {
        /// <summary>What a secret is replaced with wherever text about the client is shown.</summary>
        public const string RedactedValue = "***";

        private const string BootstrapServersKey = "bootstrap.servers";
        private const string SaslUserNameKey = "sasl.username";
        private const string SaslPasswordKey = "sasl.password";
        private const string SecurityProtocolKey = "security.protocol";
        private const string SaslMechanismKey = "sasl.mechanism";

        // Given by parameters of their own: -BootstrapServer and -Credential. A password in a hashtable would sit in the
        // command line and the history.
        private static readonly string[] s_parameterKeys = { BootstrapServersKey, SaslUserNameKey, SaslPasswordKey };

        private readonly IReadOnlyList<KeyValuePair<string, string>> _settings;
        private readonly string? _userName;
        private readonly string? _password;

        /// <summary>
        /// Settings for clients of <paramref name="bootstrapServers"/> with the user's librdkafka <paramref name="settings"/>
        /// (keys and values as librdkafka names them; a value may be a string, a number, a boolean or an array, joined with
        /// commas) and, when <paramref name="userName"/> is given, SASL with <paramref name="password"/>.
        /// </summary>
        /// <exception cref="KafkaSettingException">A setting is empty, has no value, or is given by a parameter instead.</exception>
        public KafkaClientSettings(IReadOnlyList<string> bootstrapServers, IDictionary? settings, string? userName, string? password)
        {
            if (bootstrapServers is null || bootstrapServers.Count == 0 || bootstrapServers.Any(string.IsNullOrWhiteSpace))
            {
                throw new ArgumentException("At least one bootstrap server is required, none empty.", nameof(bootstrapServers));
            }
            BootstrapServers = string.Join(",", bootstrapServers.Select(s => s.Trim()));
            _userName = string.IsNullOrEmpty(userName) ? null : userName;
            _password = password;
            _settings = ReadSettings(settings);
        }

        /// <summary>The brokers as librdkafka's <c>bootstrap.servers</c> takes them.</summary>
        public string BootstrapServers { get; }

        /// <summary>Whether a librdkafka setting holds a secret: a password, a secret, a private key, an OAuth configuration.</summary>
        public static bool IsSecret(string key) =>
            key.EndsWith(".password", StringComparison.OrdinalIgnoreCase)
            || key.IndexOf("secret", StringComparison.OrdinalIgnoreCase) >= 0
            || key.Equals("ssl.key.pem", StringComparison.OrdinalIgnoreCase)
            || key.Equals("sasl.oauthbearer.config", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// A config for a client with every user setting and the module's own, <paramref name="ownedSettings"/> (which the
        /// user cannot set: <see cref="KafkaSettingException"/> names the first given).
        /// </summary>
        /// <exception cref="KafkaSettingException">A user setting is one the client owns.</exception>
        public T CreateConfig<T>(IReadOnlyDictionary<string, string> ownedSettings)
            where T : ClientConfig, new()
        {
            foreach (var setting in _settings)
            {
                if (ownedSettings.ContainsKey(setting.Key)) throw new KafkaSettingException(KafkaSettingProblem.Reserved, setting.Key);
            }
            var config = new T();
            foreach (var setting in _settings) config.Set(setting.Key, setting.Value);
            config.Set(BootstrapServersKey, BootstrapServers);
            if (_userName != null)
            {
                // A password is never sent in the clear unless the user asks for SASL_PLAINTEXT.
                if (!HasSetting(SecurityProtocolKey)) config.Set(SecurityProtocolKey, "sasl_ssl");
                if (!HasSetting(SaslMechanismKey)) config.Set(SaslMechanismKey, "PLAIN");
                config.Set(SaslUserNameKey, _userName);
                config.Set(SaslPasswordKey, _password ?? string.Empty);
            }
            foreach (var owned in ownedSettings) config.Set(owned.Key, owned.Value);
            return config;
        }

        /// <summary>
        /// <paramref name="text"/> (a librdkafka log line or error) with every secret value replaced by
        /// <see cref="RedactedValue"/>.
        /// </summary>
        public string Redact(string text)
        {
            if (string.IsNullOrEmpty(text)) return text;
            foreach (var secret in SecretValues().OrderByDescending(s => s.Length))
            {
                text = text.Replace(secret, RedactedValue);
            }
            return text;
        }

        /// <summary>
        /// The first of the user's settings that librdkafka refuses on its own (an unknown name, a value it cannot read),
        /// found by making a client with that setting alone; null when each is accepted alone (settings that conflict).
        /// Only for when a client could not be made: each try starts and stops a client.
        /// </summary>
        public string? FindRefusedSetting()
        {
            foreach (var setting in _settings)
            {
                var config = new ProducerConfig();
                config.Set(setting.Key, setting.Value);
                try
                {
                    using var probe = new ProducerBuilder<byte[], byte[]>(config).SetLogHandler((_, _) => { }).Build();
                }
                catch (Exception exception) when (exception is ArgumentException || exception is InvalidOperationException || exception is KafkaException)
                {
                    return setting.Key;
                }
            }
            return null;
        }

        /// <summary>The brokers, the user name and every setting, secrets shown as <see cref="RedactedValue"/>.</summary>
        public override string ToString()
        {
            var text = new StringBuilder(BootstrapServersKey).Append('=').Append(BootstrapServers);
            if (_userName != null) text.Append("; ").Append(SaslUserNameKey).Append('=').Append(_userName).Append("; ").Append(SaslPasswordKey).Append('=').Append(RedactedValue);
            foreach (var setting in _settings)
            {
                text.Append("; ").Append(setting.Key).Append('=').Append(IsSecret(setting.Key) ? RedactedValue : Redact(setting.Value));
            }
            return text.ToString();
        }

        private bool HasSetting(string key) => _settings.Any(s => string.Equals(s.Key, key, StringComparison.Ordinal));

        private IEnumerable<string> SecretValues()
        {
            if (!string.IsNullOrEmpty(_password)) yield return _password!;
            foreach (var setting in _settings)
            {
                if (IsSecret(setting.Key) && setting.Value.Length > 0) yield return setting.Value;
            }
        }

        private static IReadOnlyList<KeyValuePair<string, string>> ReadSettings(IDictionary? settings)
        {
            var read = new List<KeyValuePair<string, string>>();
            if (settings is null) return read;
            foreach (DictionaryEntry entry in settings)
            {
                var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture)?.Trim() ?? string.Empty;
                if (key.Length == 0) throw new KafkaSettingException(KafkaSettingProblem.Empty, key);
                if (s_parameterKeys.Contains(key, StringComparer.OrdinalIgnoreCase)) throw new KafkaSettingException(KafkaSettingProblem.GivenByParameter, key);
                if (read.Any(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase))) throw new KafkaSettingException(KafkaSettingProblem.Duplicate, key);
                var value = FormatValue(entry.Value);
                if (value is null) throw new KafkaSettingException(KafkaSettingProblem.NoValue, key);
                read.Add(new KeyValuePair<string, string>(key, value));
            }
            return read;
        }

        private static string? FormatValue(object? value) => value switch
        {
            null => null,
            string text => text,
            bool flag => flag ? "true" : "false",
            IEnumerable items => string.Join(",", items.Cast<object?>().Select(FormatValue)),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }
}
