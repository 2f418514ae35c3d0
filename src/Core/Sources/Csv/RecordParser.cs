using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AnomalyTools.Sources.Files;
using AnomalyTools.Values;
using CsvHelper;

namespace AnomalyTools.Sources.Csv
{
    /// <summary>
    /// Parses what a <see cref="RecordFramer"/> cuts out of one input: checks its header and binds its columns, then
    /// turns each run of records into transactions and errors. Used by one thread at a time: the one that parses.
    /// </summary>
    internal sealed class RecordParser
    {
        /// <summary>How many renamed header columns are told one warning each; the rest share one.</summary>
        internal const int MaxRenamingWarnings = 10;

        private readonly string _source;
        private readonly TransactionCsvOptions _options;
        private readonly long _skipThroughLine;
        // Filled as CsvHelper skips records, and emptied after each record is read.
        private readonly Queue<ImportError> _malformed = new Queue<ImportError>();
        private readonly Utf8Fields.Builder _textFields = new Utf8Fields.Builder();
        private ColumnBinding? _binding;
        private int _headerFieldCount;
        private long _lineOffset;
        private InputFile? _input;

        /// <summary>Creates a parser of <paramref name="source"/>; records that start on <paramref name="skipThroughLine"/> or before are not given.</summary>
        /// <param name="source">The name errors and transactions give as their source, usually the file's path.</param>
        /// <param name="options">How to read it.</param>
        /// <param name="skipThroughLine">The last line of what a checkpoint covers, or 0.</param>
        public RecordParser(string source, TransactionCsvOptions options, long skipThroughLine)
        {
            _source = source;
            _options = options;
            _skipThroughLine = skipThroughLine;
        }

        /// <summary>
        /// Checks the header a <see cref="RecordFramer"/> found: a header over the size limit ends the file, like the
        /// errors of <see cref="ReadHeader(ReadOnlyMemory{byte}, long, bool, CancellationToken)"/>.
        /// </summary>
        public HeaderCheck ReadHeader(Frame frame, bool reportWarnings, CancellationToken cancellationToken) =>
            frame.Kind == FrameKind.TooLarge
                ? HeaderCheck.Failed(ImportError.RecordTooLargeHeader(_source, frame.Line, _options.MaxRecordSize))
                : ReadHeader(frame.Bytes, frame.Line, reportWarnings, cancellationToken);

        /// <summary>
        /// The results of the records a <see cref="RecordFramer"/> handed on after the header: the transactions and
        /// errors of a run of records, or the error of a record over the size limit (unless a checkpoint covers it).
        /// <paramref name="input"/> is the file as read so far, which the transactions carry; null for input that is not a file.
        /// </summary>
        public IEnumerable<ImportResult> Parse(Frame frame, InputFile? input)
        {
            if (frame.Kind != FrameKind.TooLarge) return Parse(frame.Bytes, frame.Line, frame.Lines, input);
            return frame.Line > _skipThroughLine
                ? new[] { new ImportResult(ImportError.RecordTooLarge(_source, frame.Line, _options.MaxRecordSize, frame.Lines)) }
                : Array.Empty<ImportResult>();
        }

        /// <summary>
        /// Checks the header, which <paramref name="bytes"/> end with, and binds its columns: the errors that end the file
        /// (not valid CSV, a NUL, a required column missing), or the warnings of columns renamed when
        /// <paramref name="reportWarnings"/>.
        /// </summary>
        private HeaderCheck ReadHeader(ReadOnlyMemory<byte> bytes, long line, bool reportWarnings, CancellationToken cancellationToken)
        {
            CsvMalformedRecord? malformed = null;
            IReadOnlyList<string> header;
            using (var csv = CsvReader.Create(bytes, TransactionCsvReader.CreateCsvOptions(_options, record => malformed ??= record)))
            {
                try
                {
                    csv.ReadHeader();
                    header = csv.Headers;
                }
                catch (CsvFormatException exception)
                {
                    return HeaderCheck.Failed(ImportError.MalformedCsvHeader(_source, line, exception.Message, Utf8Text.ToString(bytes.Span)));
                }
            }
            // CsvHelper skips a malformed header and takes the next record in its place: a data row is never a header.
            if (malformed != null) return HeaderCheck.Failed(ImportError.MalformedCsvHeader(_source, line, DescribeQuotingProblem(malformed.Value.Reason), malformed.Value.RawRecord));
            if (header.Count == 0) return HeaderCheck.Failed(null);
            if (header.Any(name => name.IndexOf('\0') >= 0)) return HeaderCheck.Failed(ImportError.UnsupportedEncoding(_source));

            var binding = _options.Columns.Bind(header, cancellationToken);
            if (binding.Missing.Count > 0)
            {
                return HeaderCheck.Failed(ImportError.MissingRequiredColumn(
                    _source,
                    string.Join(", ", binding.Missing.Select(field => "'" + _options.Columns.ColumnNameOf(field) + "'")),
                    string.Join(", ", header.Select(name => "'" + name + "'"))));
            }
            var warnings = new List<ImportError>();
            if (reportWarnings)
            {
                // A header can repeat a name tens of thousands of times: the first renamings are told one by one, the
                // rest in one warning, so that a hostile header cannot flood the console.
                foreach (var renamed in binding.Renamed.Take(MaxRenamingWarnings))
                {
                    warnings.Add(ImportError.DuplicateColumnName(_source, renamed.Name, renamed.Position, renamed.NewName));
                }
                if (binding.Renamed.Count > MaxRenamingWarnings)
                {
                    var last = binding.Renamed[binding.Renamed.Count - 1];
                    warnings.Add(ImportError.DuplicateColumnNamesMore(_source, binding.Renamed.Count - MaxRenamingWarnings, last.Position, last.NewName));
                }
                foreach (var ambiguous in binding.Ambiguous)
                {
                    warnings.Add(ImportError.AmbiguousColumn(_source, ambiguous.Field.ToString(), ambiguous.Column, ambiguous.Position, ambiguous.Other, ambiguous.OtherPosition));
                }
            }
            _binding = binding;
            _headerFieldCount = header.Count;
            return new HeaderCheck(true, warnings);
        }

        /// <summary>
        /// The transactions and errors of the records in <paramref name="headerAndRecords"/>, the header followed by
        /// complete records, the first of them on <paramref name="firstLine"/>; the header takes <paramref name="headerLines"/> lines.
        /// <paramref name="input"/> is the file as read so far, which its transactions carry.
        /// </summary>
        private IEnumerable<ImportResult> Parse(ReadOnlyMemory<byte> headerAndRecords, long firstLine, long headerLines, InputFile? input)
        {
            _input = input;
            var binding = _binding ?? throw new InvalidOperationException("The header must be read first.");
            _lineOffset = firstLine - (headerLines + 1);
            using var csv = CsvReader.Create(headerAndRecords, TransactionCsvReader.CreateCsvOptions(_options, OnMalformedRecord));
            csv.ReadHeader();
            while (true)
            {
                bool hasRecord;
                CsvFormatException? failure = null;
                try
                {
                    hasRecord = csv.Read();
                }
                catch (CsvFormatException exception)
                {
                    hasRecord = false;
                    failure = exception;
                }
                while (_malformed.Count > 0) yield return new ImportResult(_malformed.Dequeue());
                if (failure != null)
                {
                    // The framer has cut the records already, so this is not about size: what CsvHelper says is the reason.
                    var line = failure.LineNumber > 0 ? failure.LineNumber + _lineOffset : firstLine;
                    var lastLine = firstLine + CountLines(headerAndRecords.Span) - headerLines - 1;
                    if (line > _skipThroughLine) yield return new ImportResult(ImportError.MalformedCsvUnreadable(_source, line, failure.Message, Math.Max(line, lastLine)));
                    yield break;
                }
                if (!hasRecord) yield break;
                var result = ReadRecord(csv, binding);
                if (result.Transaction is null && result.Error is null) continue;
                yield return result;
            }
        }

        private static long CountLines(ReadOnlySpan<byte> bytes)
        {
            long lines = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'\n' || (bytes[i] == (byte)'\r' && (i + 1 == bytes.Length || bytes[i + 1] != (byte)'\n'))) lines++;
            }
            return lines;
        }

        private ImportResult ReadRecord(CsvReader csv, ColumnBinding binding)
        {
            var line = csv.LineNumber + _lineOffset;
            if (line <= _skipThroughLine) return default;
            if (!Utf8Text.IsValid(csv.RawRecord))
            {
                var text = Utf8Text.ToString(csv.RawRecord);
                return new ImportResult(ImportError.InvalidEncoding(_source, line, text).WithRecord(text));
            }

            // A span is used up before the next is taken: they may share a buffer. Blank, too, is whitespace that
            // CsvHelper does not trim, such as a no-break space.
            var textFields = _textFields;
            textFields.Clear();
            var id = csv.GetSpan(binding.IndexOf(TransactionField.TransactionId));
            if (Utf8Text.IsBlank(id)) return MissingValue(csv, TransactionField.TransactionId, line);
            textFields.Add(id);
            var customer = csv.GetSpan(binding.IndexOf(TransactionField.CustomerId));
            if (Utf8Text.IsBlank(customer)) return MissingValue(csv, TransactionField.CustomerId, line);
            textFields.Add(customer);

            var amountText = csv.GetSpan(binding.IndexOf(TransactionField.Amount));
            if (amountText.IsEmpty) return MissingValue(csv, TransactionField.Amount, line);
            var amountProblem = TransactionValues.ParseAmount(amountText, _options.Culture, out var amount);
            if (amountProblem != AmountProblem.None)
            {
                return WithItsRecord(csv, ImportError.InvalidAmount(
                    _source, line, _options.Columns.ColumnNameOf(TransactionField.Amount), Utf8Text.ToString(amountText), _options.Culture, amountProblem));
            }

            DateTimeOffset? timestamp = null;
            var timestampIndex = binding.IndexOf(TransactionField.Timestamp);
            var timestampText = timestampIndex >= 0 ? csv.GetSpan(timestampIndex) : default;
            if (!timestampText.IsEmpty)
            {
                if (!TransactionValues.TryParseTimestamp(timestampText, out var parsed))
                {
                    return WithItsRecord(csv, ImportError.InvalidTimestamp(
                        _source, line, _options.Columns.ColumnNameOf(TransactionField.Timestamp), Utf8Text.ToString(timestampText)));
                }
                timestamp = parsed;
            }

            var attributeColumns = binding.AttributeColumns;
            for (var i = 0; i < attributeColumns.Count; i++) textFields.Add(csv.GetSpan(attributeColumns[i]));

            return new ImportResult(new Transaction(textFields.ToFields(), binding.Attributes, amount, timestamp, _source, line, _input));
        }

        private ImportResult MissingValue(CsvReader csv, TransactionField field, long line) =>
            WithItsRecord(csv, ImportError.MissingRequiredValue(_source, line, _options.Columns.ColumnNameOf(field)));

        // The error of the record csv is on, carrying the record as the file has it.
        private static ImportResult WithItsRecord(CsvReader csv, ImportError error) =>
            new ImportResult(error.WithRecord(Utf8Text.ToString(csv.RawRecord)));

        private void OnMalformedRecord(CsvMalformedRecord record)
        {
            var line = record.LineNumber + _lineOffset;
            if (!record.Skipped || line <= _skipThroughLine) return;
            var error = record.Reason == CsvMalformedReason.FieldCountMismatch
                ? ImportError.FieldCountMismatch(_source, line, _headerFieldCount)
                : ImportError.MalformedCsv(_source, line, DescribeQuotingProblem(record.Reason), record.RawRecord);
            _malformed.Enqueue(error.WithRecord(record.RawRecord));
        }

        private static string DescribeQuotingProblem(CsvMalformedReason reason) => reason switch
        {
            CsvMalformedReason.StrayQuote => ErrorMessages.MalformedStrayQuote,
            CsvMalformedReason.TextAfterClosingQuote => ErrorMessages.MalformedTextAfterClosingQuote,
            CsvMalformedReason.UnterminatedQuote => ErrorMessages.MalformedUnterminatedQuote,
            _ => reason.ToString(),
        };
    }

    /// <summary>What checking a header found: whether records can be read under it, and the errors or warnings to report.</summary>
    internal sealed class HeaderCheck
    {
        public HeaderCheck(bool isUsable, IReadOnlyList<ImportError> errors)
        {
            IsUsable = isUsable;
            Errors = errors;
        }

        /// <summary>Whether the records can be read: the header is valid CSV and has the required columns.</summary>
        public bool IsUsable { get; }

        /// <summary>The error that ends the file, or the warnings.</summary>
        public IReadOnlyList<ImportError> Errors { get; }

        public static HeaderCheck Failed(ImportError? error) => new HeaderCheck(false, error is null ? Array.Empty<ImportError>() : new[] { error });
    }
}
