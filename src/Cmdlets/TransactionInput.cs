using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using AnomalyTools.Sources;

namespace AnomalyTools.Commands
{
    /// <summary>
    /// Takes the objects a cmdlet receives as transactions: an <see cref="Transaction"/> as it is, anything else
    /// (Import-Csv rows, ConvertFrom-Json objects, hashtables) converted by its properties, and an array (such as
    /// Import-Transaction -ReadCount emits) as its elements.
    /// </summary>
    internal sealed class TransactionInput
    {
        private long _position;

        /// <summary>
        /// Gives <paramref name="process"/> each transaction that <paramref name="input"/> stands for: the elements of an
        /// array (as Import-Transaction -ReadCount emits) or the input itself; what cannot be taken as a transaction goes
        /// to <paramref name="reportError"/>.
        /// </summary>
        public void ForEach(PSObject input, Action<Transaction> process, Action<ErrorRecord> reportError)
        {
            if (input.BaseObject is IList batch && !(batch is IDictionary))
            {
                foreach (var item in batch) Take(item, process, reportError);
            }
            else
            {
                Take(input, process, reportError);
            }
        }

        private void Take(object? item, Action<Transaction> process, Action<ErrorRecord> reportError)
        {
            _position++;
            if ((item is PSObject wrapped ? wrapped.BaseObject : item) is Transaction typed)
            {
                process(typed);
                return;
            }

            var input = PSObject.AsPSObject(item ?? string.Empty);
            var result = TransactionConverter.Convert(PropertiesOf(input), ErrorRecords.Message("PipelineInput"), _position);
            if (result.Transaction != null) process(result.Transaction);
            else reportError(ErrorRecords.FromImportError(result.Error!, input));
        }

        private static IReadOnlyList<KeyValuePair<string, object?>> PropertiesOf(PSObject input)
        {
            var properties = new List<KeyValuePair<string, object?>>();
            if (input.BaseObject is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    properties.Add(new KeyValuePair<string, object?>(entry.Key?.ToString() ?? string.Empty, Unwrap(entry.Value)));
                }
                return properties;
            }

            foreach (var property in input.Properties)
            {
                object? value;
                try
                {
                    value = property.Value;
                }
                catch (GetValueException)
                {
                    value = null;
                }
                properties.Add(new KeyValuePair<string, object?>(property.Name, Unwrap(value)));
            }
            return properties;
        }

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
    }
}
