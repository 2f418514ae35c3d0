using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;

namespace AnomalyTools.Commands
{
    /// <summary>
    /// Rule settings kept in a .psd1 file under version control: one hashtable keyed by the parameter names of
    /// Select-SuspiciousTransaction. The file is parsed, never run, as Import-PowerShellDataFile does. Each value is
    /// converted as PowerShell binds the parameter, and the rules check it as they check a parameter.
    /// </summary>
    internal static class RuleSettingsFile
    {
        private static readonly string[] s_notSettings = { nameof(SelectSuspiciousTransactionCommand.InputObject), nameof(SelectSuspiciousTransactionCommand.RuleFile) };

        /// <summary>Sets the settings of <paramref name="path"/> that the command line did not give.</summary>
        public static void Apply(SelectSuspiciousTransactionCommand command, string path)
        {
            var file = command.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            var settings = Read(command, file);
            var parameters = typeof(SelectSuspiciousTransactionCommand).GetProperties()
                .Where(property => property.GetCustomAttributes<ParameterAttribute>().Any() && !s_notSettings.Contains(property.Name))
                .ToDictionary(property => property.Name, StringComparer.OrdinalIgnoreCase);

            foreach (DictionaryEntry entry in settings)
            {
                var key = entry.Key?.ToString() ?? string.Empty;
                if (!parameters.TryGetValue(key, out var property))
                {
                    Fail(command, file, ErrorRecords.Message("RuleFileUnknownSetting", key, string.Join(", ", parameters.Keys)), null);
                    return;
                }
                if (command.MyInvocation.BoundParameters.ContainsKey(property.Name)) continue;
                try
                {
                    property.SetValue(command, Convert(entry.Value, property));
                }
                catch (Exception exception) when (exception is PSInvalidCastException || exception is ArgumentTransformationMetadataException)
                {
                    Fail(command, file, ErrorRecords.Message("RuleFileInvalidValue", property.Name, exception.Message), exception);
                }
            }
        }

        private static object? Convert(object? value, PropertyInfo property)
        {
            if (property.GetCustomAttribute<IntervalTransformationAttribute>() is IntervalTransformationAttribute interval && value != null)
            {
                value = interval.Transform(null!, value);
            }
            var type = property.PropertyType;
            if (type == typeof(SwitchParameter)) return new SwitchParameter(LanguagePrimitives.ConvertTo<bool>(value));
            return LanguagePrimitives.ConvertTo(value, type, System.Globalization.CultureInfo.InvariantCulture);
        }

        private static Hashtable Read(PSCmdlet command, string file)
        {
            if (!File.Exists(file))
            {
                command.ThrowTerminatingError(ErrorRecords.Create("PathNotFound", ErrorCategory.ObjectNotFound, file, null, file));
            }
            var ast = Parser.ParseFile(file, out _, out var errors);
            if (errors.Length > 0)
            {
                Fail(command, file, ErrorRecords.Message("RuleFileSyntax", errors[0].Extent.StartLineNumber, errors[0].Message), null);
            }
            var hashtable = ast.EndBlock?.Statements.Count == 1 ? ast.Find(node => node is HashtableAst, searchNestedScriptBlocks: false) as HashtableAst : null;
            if (hashtable is null) Fail(command, file, ErrorRecords.Message("RuleFileNotHashtable"), null);
            try
            {
                return (Hashtable)hashtable!.SafeGetValue();
            }
            catch (InvalidOperationException exception)
            {
                Fail(command, file, exception.Message, exception);
                throw;
            }
        }

        private static void Fail(PSCmdlet command, string file, string reason, Exception? cause) =>
            command.ThrowTerminatingError(ErrorRecords.Create("InvalidRuleFile", ErrorCategory.InvalidData, file, cause, file, reason));
    }
}
