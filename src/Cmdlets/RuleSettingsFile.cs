using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;
using AnomalyTools.Rules;

namespace AnomalyTools.Commands
{
    /// <summary>
    /// Rule settings kept in a .psd1 file under version control: one hashtable keyed by the parameter names of
    /// Select-SuspiciousTransaction. The file is parsed, never run, as Import-PowerShellDataFile does. Each value is
    /// bound as PowerShell binds the parameter on the command line (its transformation attributes, the binder's type
    /// conversion, its validation attributes), so a value is taken, or refused, alike in both places.
    /// </summary>
    internal static class RuleSettingsFile
    {
        /// <summary>
        /// Sets in <paramref name="ruleSettings"/> the settings of <paramref name="path"/> that the command line did not
        /// give; returns the line of each one set, by parameter name, for the rules to name when they refuse it.
        /// </summary>
        public static IReadOnlyDictionary<string, int> Apply(SelectSuspiciousTransactionCommand command, string path, RuleSettings ruleSettings)
        {
            var file = command.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            var settings = Read(command, file);
            var parameters = RuleSettingParameters.Parameters;
            var engine = (EngineIntrinsics)command.GetVariableValue("ExecutionContext");
            var lines = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

            foreach (var pair in settings.KeyValuePairs)
            {
                var line = pair.Item1.Extent.StartLineNumber;
                var key = pair.Item1 is ConstantExpressionAst constant ? Convert.ToString(constant.Value, CultureInfo.InvariantCulture) ?? string.Empty : pair.Item1.Extent.Text;
                if (!parameters.TryGetValue(key, out var property))
                {
                    Fail(command, file, line, ErrorRecords.Message("RuleFileUnknownSetting", line, key, string.Join(", ", parameters.Keys)), null);
                    return lines;
                }
                try
                {
                    // A value the command line overrides is still bound, so that a file refused on its own is refused
                    // with the override too, rather than failing only in the runs that happen to leave it in force.
                    var value = Bind(ValueOf(pair.Item2), property, engine);
                    if (command.MyInvocation.BoundParameters.ContainsKey(property.Name)) continue;
                    RuleSettingParameters.Set(ruleSettings, property, value);
                    lines[property.Name] = line;
                }
                catch (Exception exception) when (exception is InvalidCastException || exception is RuntimeException || exception is InvalidOperationException)
                {
                    Fail(command, file, line, InvalidValue(line, property.Name, exception.Message), exception);
                }
            }
            return lines;
        }

        /// <summary>The reason a rule file gives for a value of its <paramref name="line"/> that cannot be used.</summary>
        public static string InvalidValue(int line, string setting, string reason) => ErrorRecords.Message("RuleFileInvalidValue", line, setting, reason);

        /// <summary>
        /// Stops <paramref name="command"/> with InvalidRuleFile, saying why <paramref name="file"/> cannot be used; the
        /// target is the file, with the line at fault (<c>file:line</c>) when one is.
        /// </summary>
        public static void Fail(PSCmdlet command, string file, int line, string reason, Exception? cause) =>
            command.ThrowTerminatingError(ErrorRecords.Create("InvalidRuleFile", ErrorCategory.InvalidData,
                line > 0 ? file + ":" + line.ToString(CultureInfo.InvariantCulture) : file, cause, file, reason));

        // A value is a constant expression, evaluated without running anything; anything else is refused.
        private static object? ValueOf(StatementAst statement) =>
            statement is PipelineAst pipeline && pipeline.GetPureExpression() is ExpressionAst expression
                ? expression.SafeGetValue()
                : throw new InvalidOperationException(ErrorRecords.Message("RuleFileNotConstant", statement.Extent.Text));

        // What PowerShell's parameter binder does with a value given as -Name:value: the transformation attributes, then
        // its type conversion (a switch takes only Booleans, numbers and $null, which turns it on; other types go through
        // LanguagePrimitives with the invariant culture; $null is refused for a type that cannot hold it), then the
        // validation attributes.
        private static object? Bind(object? value, PropertyInfo property, EngineIntrinsics engine)
        {
            foreach (var transformation in property.GetCustomAttributes<ArgumentTransformationAttribute>())
            {
                value = transformation.Transform(engine, value!);
            }
            var type = property.PropertyType;
            var bound = type == typeof(SwitchParameter) ? new SwitchParameter(SwitchValue(value, property.Name))
                : value is null ? NullFor(type)
                : LanguagePrimitives.ConvertTo(value, type, CultureInfo.InvariantCulture);
            foreach (var validation in property.GetCustomAttributes<ValidateArgumentsAttribute>())
            {
                // A variable that carries a validation attribute checks its value with it, as the binder does.
                _ = new PSVariable(property.Name, bound, ScopedItemOptions.None, new Collection<Attribute> { validation });
            }
            return bound;
        }

        private static bool SwitchValue(object? value, string name)
        {
            switch (value is PSObject wrapped ? wrapped.BaseObject : value)
            {
                // The binder takes -Switch:$null for a compiled cmdlet as the switch given without a value: on.
                case null:
                    return true;
                case bool flag:
                    return flag;
                case SwitchParameter flag:
                    return flag.IsPresent;
                case IConvertible number when IsNumeric(number.GetTypeCode()):
                    return LanguagePrimitives.IsTrue(number);
                case var other:
                    throw new PSInvalidCastException(ErrorRecords.Message("RuleFileSwitchNotBoolean", other.GetType().Name, name));
            }
        }

        private static bool IsNumeric(TypeCode code) => code >= TypeCode.SByte && code <= TypeCode.Decimal;

        private static object? NullFor(Type type) =>
            type.IsValueType && Nullable.GetUnderlyingType(type) is null
                ? throw new PSInvalidCastException(ErrorRecords.Message("RuleFileNullValue", type.Name))
                : null;

        private static HashtableAst Read(PSCmdlet command, string file)
        {
            if (!File.Exists(file))
            {
                command.ThrowTerminatingError(ErrorRecords.Create("PathNotFound", ErrorCategory.ObjectNotFound, file, null, file));
            }
            var ast = Parser.ParseFile(file, out _, out var errors);
            if (errors.Length > 0)
            {
                Fail(command, file, errors[0].Extent.StartLineNumber, ErrorRecords.Message("RuleFileSyntax", errors[0].Extent.StartLineNumber, errors[0].Message), null);
            }
            var hashtable = ast.EndBlock?.Statements.Count == 1 ? ast.Find(node => node is HashtableAst, searchNestedScriptBlocks: false) as HashtableAst : null;
            if (hashtable is null) Fail(command, file, 0, ErrorRecords.Message("RuleFileNotHashtable"), null);
            return hashtable!;
        }
    }
}
