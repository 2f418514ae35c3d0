using System;

namespace AnomalyTools.Rules
{
    /// <summary>A rule setting that cannot work, named as <see cref="RuleSettings"/> (and the cmdlet's parameter) names it.</summary>
    public sealed class InvalidRuleSettingException : ArgumentException
    {
        /// <summary>Creates the exception from the refusal of the rule's constructor.</summary>
        public InvalidRuleSettingException(string setting, ArgumentOutOfRangeException innerException)
            : base(ReasonOf(innerException), setting, innerException)
        {
            Setting = setting;
            Value = innerException.ActualValue;
            Reason = ReasonOf(innerException);
        }

        /// <summary>The name of the setting, a property of <see cref="RuleSettings"/>.</summary>
        public string Setting { get; }

        /// <summary>The value refused.</summary>
        public object? Value { get; }

        /// <summary>Why the value cannot work: the rule's own sentence.</summary>
        public string Reason { get; }

        // The first line of an ArgumentOutOfRangeException's message is the rule's sentence; the next names the value.
        private static string ReasonOf(ArgumentOutOfRangeException exception) => exception.Message.Split('\n')[0].Trim();
    }
}
