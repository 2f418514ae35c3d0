using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AnomalyTools.Commands
{
    /// <summary>Completes a parameter with a few values worth knowing, each with a tooltip that says why.</summary>
    public abstract class SuggestionCompleter : IArgumentCompleter
    {
        private readonly (string Value, string TooltipKey)[] _suggestions;

        /// <summary>The values, in the order they are offered, with the resource keys of their tooltips.</summary>
        protected SuggestionCompleter(params (string Value, string TooltipKey)[] suggestions)
        {
            _suggestions = suggestions;
        }

        /// <summary>The suggestions that start with what was typed so far, quotes aside.</summary>
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return _suggestions
                .Where(s => s.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(s => new CompletionResult(s.Value, s.Value, CompletionResultType.ParameterValue, ErrorRecords.Message(s.TooltipKey)));
        }
    }

    /// <summary>Completes -Threshold with the default and the reporting thresholds that anti-money-laundering rules use.</summary>
    public sealed class ThresholdCompleter : SuggestionCompleter
    {
        /// <summary>Creates the completer.</summary>
        public ThresholdCompleter()
            : base(("8000", "ThresholdDefault"), ("10000", "ThresholdCurrencyReport"), ("15000", "ThresholdOccasionalTransaction"), ("3000", "ThresholdFundsTransferRecord"))
        {
        }
    }

    /// <summary>Completes a time interval with round numbers of seconds.</summary>
    public sealed class IntervalCompleter : SuggestionCompleter
    {
        /// <summary>Creates the completer.</summary>
        public IntervalCompleter()
            : base(("1", "IntervalOneSecond"), ("5", "IntervalFiveSeconds"), ("30", "IntervalThirtySeconds"), ("60", "IntervalOneMinute"), ("300", "IntervalFiveMinutes"), ("3600", "IntervalOneHour"))
        {
        }
    }

    /// <summary>Completes -Delimiter with the delimiters that CSV exports use.</summary>
    public sealed class DelimiterCompleter : SuggestionCompleter
    {
        /// <summary>Creates the completer.</summary>
        public DelimiterCompleter()
            : base(("','", "DelimiterComma"), ("';'", "DelimiterSemicolon"), ("\"`t\"", "DelimiterTab"), ("'|'", "DelimiterPipe"))
        {
        }
    }
}
