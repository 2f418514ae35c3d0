using System;

namespace AnomalyTools.Kafka
{
    /// <summary>What is wrong with a Kafka setting.</summary>
    internal enum KafkaSettingProblem
    {
        /// <summary>librdkafka has no setting of that name, or refused its value.</summary>
        Unknown,

        /// <summary>The key is empty.</summary>
        Empty,

        /// <summary>The value is null.</summary>
        NoValue,

        /// <summary>The key is given twice (keys are compared ignoring case, as a PowerShell hashtable does).</summary>
        Duplicate,

        /// <summary>A parameter gives it: bootstrap.servers (-BootstrapServer), sasl.username and sasl.password (-Credential).</summary>
        GivenByParameter,

        /// <summary>The module sets it for its guarantees (the sink's enable.idempotence and acks, for instance).</summary>
        Reserved,
    }

    /// <summary>A Kafka setting that cannot be used; the message never holds a setting's value, which may be a secret.</summary>
    internal sealed class KafkaSettingException : Exception
    {
        public KafkaSettingException(KafkaSettingProblem problem, string setting, string? detail = null)
            : base(problem + ": " + setting)
        {
            Problem = problem;
            Setting = setting;
            Detail = detail;
        }

        /// <summary>What is wrong.</summary>
        public KafkaSettingProblem Problem { get; }

        /// <summary>The setting's key, as the user gave it.</summary>
        public string Setting { get; }

        /// <summary>librdkafka's own words, secrets redacted, when it refused the setting; otherwise null.</summary>
        public string? Detail { get; }
    }
}
