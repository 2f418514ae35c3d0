using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using CsvHelper;

namespace AnomalyTools
{
    /// <summary>
    /// Reads transactions from RFC 4180 CSV, one record at a time, in constant memory. A bad record is reported as
    /// an <see cref="ImportError"/> value and reading goes on; a header without a required column is one error
    /// and ends the file. UTF-8 with or without a byte order mark and UTF-16 with one; CRLF or LF.
    /// </summary>
    public sealed class TransactionCsvReader : IDisposable
    {
        private readonly CsvReader _csv;
        private readonly string _source;
        private readonly TransactionCsvOptions _options;
        private readonly Queue<ImportError> _malformed = new Queue<ImportError>();
        private readonly long _lineOffset;
        private int _headerFieldCount;

        /// <summary>Creates a reader of <paramref name="stream"/>, which it disposes unless <paramref name="leaveOpen"/>.</summary>
        /// <param name="stream">The CSV input, read sequentially from its current position.</param>
        /// <param name="source">The name errors and transactions give as their source, usually the file's path.</param>
        /// <param name="options">How to read it; the defaults when null.</param>
        /// <param name="leaveOpen">Whether the stream stays open when the reader is disposed.</param>
        public TransactionCsvReader(Stream stream, string source, TransactionCsvOptions? options = null, bool leaveOpen = false)
        {
            if (stream is null) throw new ArgumentNullException(nameof(stream));
            _source = source ?? throw new ArgumentNullException(nameof(source));
            _options = options ?? new TransactionCsvOptions();
            _csv = CsvReader.Create(stream, CreateCsvOptions(_options.Delimiter, OnMalformedRecord), leaveOpen);
        }

        /// <summary>
        /// Creates a reader of complete records in memory that start with the file's header (and byte order mark),
        /// adding <paramref name="lineOffset"/> to every line number: how a followed file is read piece by piece.
        /// </summary>
        internal TransactionCsvReader(ReadOnlyMemory<byte> headerAndRecords, string source, TransactionCsvOptions options, long lineOffset)
        {
            _source = source;
            _options = options;
            _lineOffset = lineOffset;
            _csv = CsvReader.Create(headerAndRecords, CreateCsvOptions(_options.Delimiter, OnMalformedRecord));
        }

        /// <summary>The offset in bytes (of UTF-8) where the current record starts: how far reading has got.</summary>
        public long BytesRead => _csv.ByteOffset;

        /// <summary>Reads the header, then every record, in file order.</summary>
        /// <param name="cancellationToken">Stops reading between records.</param>
        public IEnumerable<ImportResult> ReadAll(CancellationToken cancellationToken = default)
        {
            _csv.ReadHeader();
            var header = _csv.Headers;
            if (header.Count == 0) yield break;

            var binding = _options.Columns.Bind(header);
            if (binding.Missing.Count > 0)
            {
                yield return new ImportResult(ImportError.MissingRequiredColumn(
                    _source,
                    string.Join(", ", binding.Missing.Select(field => "'" + _options.Columns.ColumnNameOf(field) + "'")),
                    string.Join(", ", header.Select(name => "'" + name + "'"))));
                yield break;
            }

            _headerFieldCount = header.Count;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var hasRecord = _csv.Read();
                while (_malformed.Count > 0) yield return new ImportResult(_malformed.Dequeue());
                if (!hasRecord) yield break;
                yield return ReadRecord(binding);
            }
        }

        /// <inheritdoc />
        public void Dispose() => _csv.Dispose();

        private ImportResult ReadRecord(ColumnBinding binding)
        {
            var line = _csv.LineNumber + _lineOffset;

            if (!TryReadRequired(binding, TransactionField.TransactionId, line, out var transactionId, out var error)
                || !TryReadRequired(binding, TransactionField.CustomerId, line, out var customerId, out error))
            {
                return new ImportResult(error!);
            }

            var amountIndex = binding.IndexOf(TransactionField.Amount);
            if (_csv.IsEmpty(amountIndex)) return MissingValue(TransactionField.Amount, line);
            if (!TransactionValues.TryParseAmount(_csv.GetSpan(amountIndex), _options.Culture, out var amount))
            {
                return new ImportResult(ImportError.InvalidAmount(
                    _source, line, _options.Columns.ColumnNameOf(TransactionField.Amount), _csv.GetString(amountIndex), _options.Culture));
            }

            DateTimeOffset? timestamp = null;
            var timestampIndex = binding.IndexOf(TransactionField.Timestamp);
            if (timestampIndex >= 0 && !_csv.IsEmpty(timestampIndex))
            {
                var text = _csv.GetString(timestampIndex);
                if (!TransactionValues.TryParseTimestamp(text, out var parsed))
                {
                    return new ImportResult(ImportError.InvalidTimestamp(
                        _source, line, _options.Columns.ColumnNameOf(TransactionField.Timestamp), text));
                }
                timestamp = parsed;
            }

            var attributeColumns = binding.AttributeColumns;
            var values = new string[attributeColumns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = _csv.GetString(attributeColumns[i]);
            }

            return new ImportResult(new Transaction(
                transactionId!, customerId!, amount, timestamp, new AttributeMap(binding.Attributes, values), _source, line));
        }

        private bool TryReadRequired(ColumnBinding binding, TransactionField field, long line, out string? value, out ImportError? error)
        {
            var index = binding.IndexOf(field);
            if (_csv.IsEmpty(index))
            {
                value = null;
                error = MissingValue(field, line).Error;
                return false;
            }
            value = _csv.GetString(index);
            error = null;
            return true;
        }

        private ImportResult MissingValue(TransactionField field, long line) =>
            new ImportResult(ImportError.MissingRequiredValue(_source, line, _options.Columns.ColumnNameOf(field)));

        private void OnMalformedRecord(CsvMalformedRecord record)
        {
            if (!record.Skipped) return;
            _malformed.Enqueue(record.Reason == CsvMalformedReason.FieldCountMismatch
                ? ImportError.FieldCountMismatch(_source, record.LineNumber + _lineOffset, _headerFieldCount)
                : ImportError.MalformedCsv(_source, record.LineNumber + _lineOffset, DescribeQuotingProblem(record.Reason), record.RawRecord));
        }

        private static string DescribeQuotingProblem(CsvMalformedReason reason) => reason switch
        {
            CsvMalformedReason.StrayQuote => ErrorMessages.MalformedStrayQuote,
            CsvMalformedReason.TextAfterClosingQuote => ErrorMessages.MalformedTextAfterClosingQuote,
            CsvMalformedReason.UnterminatedQuote => ErrorMessages.MalformedUnterminatedQuote,
            _ => reason.ToString(),
        };

        private static CsvReaderOptions CreateCsvOptions(char delimiter, Action<CsvMalformedRecord> onMalformedRecord) => new CsvReaderOptions
        {
            Separator = delimiter,
            HasHeader = true,
            Mode = CsvMode.Rfc4180,
            AllowLineBreaksInQuotes = true,
            SkipEmptyLines = true,
            TrimWhitespace = true,
            TrackLineNumbers = true,
            DetectSeparatorHint = false,
            MalformedData = CsvMalformedDataHandling.Skip,
            FieldCountMismatch = CsvFieldCountHandling.Skip,
            OnMalformedRecord = onMalformedRecord,
            PoolStrings = true,
        };
    }
}
