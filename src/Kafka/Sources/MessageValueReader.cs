#if NET8_0_OR_GREATER
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using AnomalyTools.Sources;
using AnomalyTools.Sources.Csv;
using AnomalyTools.Values;

namespace AnomalyTools.Kafka.Sources
{
    /// <summary>
    /// Turns a Kafka message's value into a transaction or the error that keeps it from being one: a JSON object whose
    /// fields are matched by name as CSV headers are, or, when a header is given, one CSV record read under it.
    /// </summary>
    internal sealed class MessageValueReader
    {
        private readonly TransactionCsvOptions _csvOptions;
        private readonly byte[]? _csvHeaderLine;

        /// <param name="csvOptions">How fields are matched and values read (column map, culture, delimiter, size limit).</param>
        /// <param name="csvHeader">The column names of CSV values; null for JSON values.</param>
        public MessageValueReader(TransactionCsvOptions csvOptions, IReadOnlyList<string>? csvHeader)
        {
            _csvOptions = new TransactionCsvOptions
            {
                Delimiter = csvOptions.Delimiter,
                Culture = csvOptions.Culture,
                Columns = csvOptions.Columns,
                MaxRecordSize = csvOptions.MaxRecordSize,
                // One record per message: a thread of its own would only add a hand-over.
                ParseAhead = false,
            };
            if (csvHeader != null) _csvHeaderLine = Encoding.UTF8.GetBytes(HeaderLine(csvHeader, csvOptions.Delimiter) + "\n");
        }

        /// <summary>The results of one message: one, unless a CSV value holds more than one record.</summary>
        public IEnumerable<ImportResult> Read(TopicMessage message, byte[]? value) =>
            _csvHeaderLine is null ? new[] { ReadJson(message, value) } : ReadCsv(message, value ?? Array.Empty<byte>());

        private IEnumerable<ImportResult> ReadCsv(TopicMessage message, byte[] value)
        {
            var position = message.Position;
            var bytes = new byte[_csvHeaderLine!.Length + value.Length];
            Buffer.BlockCopy(_csvHeaderLine, 0, bytes, 0, _csvHeaderLine.Length);
            Buffer.BlockCopy(value, 0, bytes, _csvHeaderLine.Length, value.Length);
            using var reader = new TransactionCsvReader(new MemoryStream(bytes, writable: false), position, _csvOptions) { ReportHeaderWarnings = false };
            foreach (var result in reader.ReadAll())
            {
                if (result.Transaction != null) yield return new ImportResult(result.Transaction.ReadFrom(message));
                else yield return new ImportResult(result.Error!.AboutMessage(position, result.Error.Location));
            }
        }

        private ImportResult ReadJson(TopicMessage message, byte[]? value)
        {
            var position = message.Position;
            if (value is null) return new ImportResult(ImportError.MessageNotJsonObject(position, "no value"));
            List<KeyValuePair<string, JsonField>> fields;
            try
            {
                fields = ReadObject(value);
            }
            catch (JsonException exception)
            {
                return Failed(ImportError.MessageNotJsonObject(position, exception.Message));
            }
            catch (InvalidDataException exception)
            {
                return Failed(ImportError.MessageNotJsonObject(position, exception.Message));
            }

            var columns = _csvOptions.Columns;
            var binding = columns.Bind(fields.Select(field => field.Key).ToArray());
            if (binding.Missing.Count > 0) return Failed(ImportError.MissingRequiredValue(position, 0, columns.ColumnNameOf(binding.Missing[0])));

            JsonField Field(TransactionField field) => binding.IndexOf(field) < 0 ? default : fields[binding.IndexOf(field)].Value;

            var transactionId = Field(TransactionField.TransactionId).Text?.Trim();
            if (string.IsNullOrEmpty(transactionId)) return Missing(TransactionField.TransactionId);
            var customerId = Field(TransactionField.CustomerId).Text?.Trim();
            if (string.IsNullOrEmpty(customerId)) return Missing(TransactionField.CustomerId);

            var amountField = Field(TransactionField.Amount);
            if (string.IsNullOrWhiteSpace(amountField.Text)) return Missing(TransactionField.Amount);
            // A JSON number is read from its own digits, never through a double: 9582.15 stays 9582.15 exactly.
            var amountText = amountField.IsNumber ? TransactionConverter.WithoutExponent(amountField.Text!) : amountField.Text!;
            var amountCulture = amountField.IsNumber ? null : _csvOptions.Culture;
            var problem = TransactionValues.ParseAmount(amountText, amountCulture, out var amount);
            if (problem != AmountProblem.None)
            {
                return Failed(ImportError.InvalidAmount(position, 0, columns.ColumnNameOf(TransactionField.Amount), amountText, amountCulture, problem));
            }

            DateTimeOffset? timestamp = null;
            var timestampText = Field(TransactionField.Timestamp).Text;
            if (!string.IsNullOrWhiteSpace(timestampText))
            {
                if (!TransactionValues.TryParseTimestamp(timestampText!, out var parsed))
                {
                    return Failed(ImportError.InvalidTimestamp(position, 0, columns.ColumnNameOf(TransactionField.Timestamp), timestampText!));
                }
                timestamp = parsed;
            }

            var attributes = binding.AttributeColumns.Select(i => fields[i].Value.Text ?? string.Empty).ToArray();
            var transaction = new Transaction(transactionId!, customerId!, amount, timestamp, new AttributeMap(binding.Attributes, attributes), position);
            return new ImportResult(transaction.ReadFrom(message));

            ImportResult Missing(TransactionField field) => Failed(ImportError.MissingRequiredValue(position, 0, columns.ColumnNameOf(field)));

            ImportResult Failed(ImportError error) => new ImportResult(error.AboutMessage(position, position).WithRecord(Utf8Text.ToString(value)));
        }

        // The object's fields in order: strings as their text, numbers as their digits, true, false and null as written,
        // nested objects and arrays as their JSON text.
        private static List<KeyValuePair<string, JsonField>> ReadObject(byte[] value)
        {
            var reader = new Utf8JsonReader(value, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new InvalidDataException(Describe(reader));
            var fields = new List<KeyValuePair<string, JsonField>>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                JsonField field;
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        field = new JsonField(reader.GetString(), isNumber: false);
                        break;
                    case JsonTokenType.Number:
                        field = new JsonField(Encoding.UTF8.GetString(reader.ValueSpan), isNumber: true);
                        break;
                    case JsonTokenType.Null:
                        field = new JsonField(null, isNumber: false);
                        break;
                    case JsonTokenType.True:
                    case JsonTokenType.False:
                        field = new JsonField(reader.TokenType == JsonTokenType.True ? "true" : "false", isNumber: false);
                        break;
                    default:
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        field = new JsonField(Encoding.UTF8.GetString(value, start, (int)reader.BytesConsumed - start), isNumber: false);
                        break;
                }
                fields.Add(new KeyValuePair<string, JsonField>(name, field));
            }
            // Whatever follows the object must be white space alone.
            if (reader.Read()) throw new InvalidDataException("text after the object");
            return fields;
        }

        private static string Describe(Utf8JsonReader reader) => reader.TokenType switch
        {
            JsonTokenType.None => "empty",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.String => "a string",
            JsonTokenType.Number => "a number",
            JsonTokenType.True or JsonTokenType.False => "a boolean",
            JsonTokenType.Null => "null",
            _ => reader.TokenType.ToString(),
        };

        private static string HeaderLine(IReadOnlyList<string> header, char delimiter) =>
            string.Join(delimiter.ToString(), header.Select(name =>
                name.IndexOfAny(new[] { delimiter, '"', '\r', '\n' }) >= 0 ? "\"" + name.Replace("\"", "\"\"") + "\"" : name));

        private readonly struct JsonField
        {
            public JsonField(string? text, bool isNumber)
            {
                Text = text;
                IsNumber = isNumber;
            }

            public string? Text { get; }

            public bool IsNumber { get; }
        }
    }
}
#endif
