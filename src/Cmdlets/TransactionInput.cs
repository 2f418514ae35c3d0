using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

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

        /// <summary>The elements when <paramref name="input"/> is an array of inputs (as Import-Transaction -ReadCount emits), otherwise null.</summary>
        public static IList? BatchOf(PSObject input) => input.BaseObject is IList list && !(list is IDictionary) ? list : null;

        /// <summary>Takes one element of a batch as <see cref="TryGetTransaction(PSObject, out Transaction?, out ErrorRecord?)"/> takes an input.</summary>
        public bool TryGetTransaction(object? item, out Transaction? transaction, out ErrorRecord? error) =>
            TryGetTransaction(item as PSObject ?? PSObject.AsPSObject(item ?? string.Empty), out transaction, out error);

        public bool TryGetTransaction(PSObject input, out Transaction? transaction, out ErrorRecord? error)
        {
            _position++;
            if (input.BaseObject is Transaction typed)
            {
                transaction = typed;
                error = null;
                return true;
            }

            var result = TransactionConverter.Convert(PropertiesOf(input), ErrorRecords.Message("PipelineInput"), _position);
            transaction = result.Transaction;
            error = result.Error is null ? null : ErrorRecords.FromImportError(result.Error, input);
            return transaction != null;
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
