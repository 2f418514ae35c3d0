using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AnomalyTools.Values;

namespace AnomalyTools.Sources
{
    /// <summary>
    /// Makes a transaction of an object from another source (Import-Csv rows, JSON, hand-made objects), given its
    /// properties by name. Names are matched as CSV headers are (<see cref="ColumnMap"/>), values are parsed as
    /// CSV fields are (<see cref="TransactionValues"/>); the other properties become attributes.
    /// </summary>
    public static class TransactionConverter
    {
        /// <summary>Converts the properties of one object.</summary>
        /// <param name="properties">The object's properties, by name, in order.</param>
        /// <param name="source">What errors and the transaction give as the source, such as <c>pipeline input</c>.</param>
        /// <param name="position">The 1-based position of the object in its source, given as its line.</param>
        /// <param name="culture">The culture of amounts given as text; null for the invariant culture.</param>
        public static ImportResult Convert(
            IReadOnlyList<KeyValuePair<string, object?>> properties, string source, long position, CultureInfo? culture = null)
        {
            if (properties is null) throw new ArgumentNullException(nameof(properties));
            var columns = ColumnMap.Default;
            var binding = columns.Bind(properties.Select(property => property.Key).ToArray());
            if (binding.Missing.Count > 0)
            {
                return new ImportResult(ImportError.MissingRequiredColumn(
                    source + ":" + position.ToString(CultureInfo.InvariantCulture),
                    string.Join(", ", binding.Missing.Select(field => "'" + columns.ColumnNameOf(field) + "'")),
                    string.Join(", ", properties.Select(property => "'" + property.Key + "'"))));
            }

            string? Text(TransactionField field) => FormatValue(properties[binding.IndexOf(field)].Value)?.Trim();

            var transactionId = Text(TransactionField.TransactionId);
            if (string.IsNullOrEmpty(transactionId)) return Missing(TransactionField.TransactionId);
            var customerId = Text(TransactionField.CustomerId);
            if (string.IsNullOrEmpty(customerId)) return Missing(TransactionField.CustomerId);

            var amountValue = properties[binding.IndexOf(TransactionField.Amount)].Value;
            if (!TryGetAmount(amountValue, out var amount, out var amountError)) return new ImportResult(amountError!);

            DateTimeOffset? timestamp = null;
            var timestampIndex = binding.IndexOf(TransactionField.Timestamp);
            if (timestampIndex >= 0)
            {
                var value = properties[timestampIndex].Value;
                if (value is DateTimeOffset offset) timestamp = offset;
                else if (value is DateTime dateTime) timestamp = dateTime.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dateTime, TimeSpan.Zero) : new DateTimeOffset(dateTime);
                else if (!string.IsNullOrWhiteSpace(FormatValue(value)))
                {
                    var text = FormatValue(value)!;
                    if (!TransactionValues.TryParseTimestamp(text, out var parsed))
                    {
                        return new ImportResult(ImportError.InvalidTimestamp(source, position, columns.ColumnNameOf(TransactionField.Timestamp), text));
                    }
                    timestamp = parsed;
                }
            }

            var values = binding.AttributeColumns.Select(i => FormatValue(properties[i].Value) ?? string.Empty).ToArray();
            return new ImportResult(new Transaction(
                transactionId!, customerId!, amount, timestamp, new AttributeMap(binding.Attributes, values), source, position));

            ImportResult Missing(TransactionField field) =>
                new ImportResult(ImportError.MissingRequiredValue(source, position, columns.ColumnNameOf(field)));

            bool TryGetAmount(object? value, out decimal result, out ImportError? error)
            {
                error = null;
                result = 0;
                switch (value)
                {
                    case decimal exact:
                        result = exact;
                        return true;
                    case int or long or short or byte or uint or ulong or ushort or sbyte:
                        result = System.Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                        return true;
                    case double or float:
                        // A binary float is converted through its shortest round-trip text, so 9582.15 stays 9582.15;
                        // that text is written without an exponent, as JSON wrote 0.00001 (shown 1E-05), so that it is
                        // read, or refused for its digits, as the same amount given as text would be.
                        var roundTrip = WithoutExponent(((IFormattable)value).ToString("R", CultureInfo.InvariantCulture));
                        var floatProblem = TransactionValues.ParseAmount(roundTrip, null, out result);
                        if (floatProblem == AmountProblem.None) return true;
                        error = ImportError.InvalidAmount(source, position, columns.ColumnNameOf(TransactionField.Amount), roundTrip, null, floatProblem);
                        return false;
                }
                var text = FormatValue(value);
                if (string.IsNullOrWhiteSpace(text))
                {
                    error = ImportError.MissingRequiredValue(source, position, columns.ColumnNameOf(TransactionField.Amount));
                    return false;
                }
                var problem = TransactionValues.ParseAmount(text!, culture, out result);
                if (problem == AmountProblem.None) return true;
                error = ImportError.InvalidAmount(source, position, columns.ColumnNameOf(TransactionField.Amount), text!, culture, problem);
                return false;
            }
        }

        // "1.5E-05" as "0.000015" and "1.2E+21" as "1200000000000000000000"; other text (NaN, Infinity) as it is.
        internal static string WithoutExponent(string text)
        {
            var e = text.IndexOfAny(new[] { 'E', 'e' });
            if (e < 0 || !int.TryParse(text.Substring(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent)) return text;
            var mantissa = text.Substring(0, e);
            var sign = mantissa.StartsWith("-", StringComparison.Ordinal) ? "-" : string.Empty;
            if (sign.Length > 0) mantissa = mantissa.Substring(1);
            var point = mantissa.IndexOf('.');
            var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
            var integerDigits = (point < 0 ? mantissa.Length : point) + exponent;
            if (integerDigits <= 0) return sign + "0." + new string('0', -integerDigits) + digits;
            if (integerDigits >= digits.Length) return sign + digits + new string('0', integerDigits - digits.Length);
            return sign + digits.Substring(0, integerDigits) + "." + digits.Substring(integerDigits);
        }

        private static string? FormatValue(object? value) => value switch
        {
            null => null,
            string text => text,
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }
}
