using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using AnomalyTools.Rules;

namespace AnomalyTools.Commands
{
    /// <summary>
    /// The parameters of Select-SuspiciousTransaction that are rule settings: each sets the <see cref="RuleSettings"/>
    /// property of its own name, so a new setting is a property there and a parameter here, and the command line and a
    /// rule file take it alike.
    /// </summary>
    internal static class RuleSettingParameters
    {
        private static readonly string[] s_notSettings = { nameof(SelectSuspiciousTransactionCommand.InputObject), nameof(SelectSuspiciousTransactionCommand.RuleFile) };

        /// <summary>The setting parameters, by name, ignoring case.</summary>
        public static IReadOnlyDictionary<string, PropertyInfo> Parameters { get; } = typeof(SelectSuspiciousTransactionCommand).GetProperties()
            .Where(property => property.GetCustomAttributes<ParameterAttribute>().Any() && !s_notSettings.Contains(property.Name))
            .ToDictionary(property => property.Name, StringComparer.OrdinalIgnoreCase);

        /// <summary>Sets the setting of <paramref name="parameter"/> to a value bound to it; a switch sets a Boolean.</summary>
        public static void Set(RuleSettings settings, PropertyInfo parameter, object? value)
        {
            var setting = typeof(RuleSettings).GetProperty(parameter.Name)
                ?? throw new InvalidOperationException("RuleSettings has no property for the parameter " + parameter.Name + ".");
            setting.SetValue(settings, value is SwitchParameter flag ? flag.IsPresent : value);
        }

        /// <summary>Sets every setting that <paramref name="boundParameters"/> holds.</summary>
        public static void SetBound(RuleSettings settings, IDictionary<string, object?> boundParameters)
        {
            foreach (var bound in boundParameters)
            {
                if (Parameters.TryGetValue(bound.Key, out var parameter)) Set(settings, parameter, bound.Value);
            }
        }
    }
}
