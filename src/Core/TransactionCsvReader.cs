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
    /// Records are parsed on a thread of their own while the caller takes the results, in file order, unless
    /// <see cref="TransactionCsvOptions.ParseAhead"/> is off.
    /// </summary>
    public sealed class TransactionCsvReader : IDisposable
    {
        private readonly string _source;
        private readonly TransactionCsvOptions _options;
        // Filled as CsvHelper skips records, on the thread that parses, and emptied there or once it has finished.
        private readonly Queue<ImportError> _malformed = new Queue<ImportError>();
        private readonly bool _parseAhead;
        private readonly Stream? _stream;
        private readonly bool _leaveOpen;
        private readonly long _streamStart;
        private CsvReader _csv;
        // After a record too large to read was skipped, reading goes on from a new CsvHelper reader of the file's header
        // followed by the rest of the file: these turn its lines and offsets into the file's.
        private long _lineOffset;
        private long _byteOffsetShift;
        private FileHeader? _header;
        private int _headerFieldCount;
        private readonly Utf8Fields.Builder _textFields = new Utf8Fields.Builder();

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
            _parseAhead = _options.ParseAhead;
            _stream = stream;
            _leaveOpen = leaveOpen;
            _streamStart = stream.CanSeek ? stream.Position : 0;
            _csv = CsvReader.Create(stream, CreateCsvOptions(_options, OnMalformedRecord), leaveOpen: true);
        }

        /// <summary>
        /// Creates a reader of complete records in memory that start with the file's header (and byte order mark),
        /// adding <paramref name="lineOffset"/> to every line number: how a followed file is read piece by piece, on the
        /// caller's thread, since each piece is small and wanted at once.
        /// </summary>
        internal TransactionCsvReader(ReadOnlyMemory<byte> headerAndRecords, string source, TransactionCsvOptions options, long lineOffset)
        {
            _source = source;
            _options = options;
            _lineOffset = lineOffset;
            _parseAhead = false;
            _csv = CsvReader.Create(headerAndRecords, CreateCsvOptions(_options, OnMalformedRecord));
        }

        /// <summary>
        /// Records that start on this line or before are read past without being given, their errors too: how reading
        /// resumes after what a checkpoint covers. 0, the default, gives every record. Set it before <see cref="ReadAll"/>.
        /// </summary>
        public long SkipThroughLine { get; set; }

        /// <summary>
        /// The file being read, which every transaction carries to the sink so that its checkpoint names the file the rows
        /// came from; null when the input is not a file, and then no checkpoint covers its rows.
        /// </summary>
        public Checkpoints.InputFile? Input { get; set; }

        /// <summary>
        /// Whether what reading the header gives warnings of (columns renamed because their names came twice) is given as
        /// a <see cref="ImportError"/> whose <see cref="ImportError.IsWarning"/> is set; true by default.
        /// </summary>
        public bool ReportHeaderWarnings { get; set; } = true;

        /// <summary>The offset in bytes (of UTF-8) where the current record starts: how far reading has got.</summary>
        public long BytesRead => _csv.ByteOffset + _byteOffsetShift;

        /// <summary>Reads the header, then every record, in file order.</summary>
        /// <param name="cancellationToken">Stops reading between records.</param>
        public IEnumerable<ImportResult> ReadAll(CancellationToken cancellationToken = default)
        {
            if (!TryReadHeader())
            {
                yield return new ImportResult(ImportError.RecordTooLarge(_source, 1 + _lineOffset, _options.MaxRecordSize, linesSkipped: 0));
                yield break;
            }
            var header = _csv.Headers;
            if (header.Count == 0) yield break;

            if (header.Any(name => name.IndexOf('\0') >= 0))
            {
                yield return new ImportResult(ImportError.UnsupportedEncoding(_source));
                yield break;
            }
            var binding = _options.Columns.Bind(header);
            if (binding.Missing.Count > 0)
            {
                yield return new ImportResult(ImportError.MissingRequiredColumn(
                    _source,
                    string.Join(", ", binding.Missing.Select(field => "'" + _options.Columns.ColumnNameOf(field) + "'")),
                    string.Join(", ", header.Select(name => "'" + name + "'"))));
                yield break;
            }

            if (ReportHeaderWarnings)
            {
                foreach (var renamed in binding.Renamed)
                {
                    yield return new ImportResult(ImportError.DuplicateColumnName(_source, renamed.Name, renamed.Position, renamed.NewName));
                }
            }
            _headerFieldCount = header.Count;
            foreach (var result in ReadRecords(binding, cancellationToken)) yield return result;
        }

        // Every record, each one over the size limit reported and read past.
        private IEnumerable<ImportResult> ReadRecords(ColumnBinding binding, CancellationToken cancellationToken)
        {
            while (true)
            {
                CsvFormatException? tooLarge = null;
                using (var results = (_parseAhead ? ReadAhead.Enumerate(ReadOneByOne(binding)) : ReadOneByOne(binding)).GetEnumerator())
                {
                    while (true)
                    {
                        try
                        {
                            if (!results.MoveNext()) break;
                        }
                        catch (CsvFormatException exception)
                        {
                            // With malformed records skipped, the one thing CsvHelper throws for is a record over MaxRecordSize.
                            tooLarge = exception;
                            break;
                        }
                        cancellationToken.ThrowIfCancellationRequested();
                        var result = results.Current;
                        if (result.Transaction is null && result.Error is null) continue;
                        yield return result;
                    }
                }
                if (tooLarge is null) yield break;

                var line = tooLarge.LineNumber + _lineOffset;
                // Records skipped as malformed before the one too large, while CsvHelper looked for its end.
                while (_malformed.Count > 0) yield return new ImportResult(_malformed.Dequeue());
                var resumed = ResumeAfterRecord(tooLarge, line, out var skippedLines);
                if (line > SkipThroughLine)
                {
                    yield return new ImportResult(ImportError.RecordTooLarge(_source, line, _options.MaxRecordSize, resumed ? skippedLines : 0));
                }
                if (!resumed) yield break;
            }
        }

        // False when the header is longer than the record size limit: then nothing of the file can be read.
        private bool TryReadHeader()
        {
            try
            {
                _csv.ReadHeader();
                return true;
            }
            catch (CsvFormatException)
            {
                return false;
            }
        }

        // Skips the record over the size limit that starts on line and goes on reading after it, with a new CsvHelper
        // reader of the header and the rest of the file. Only seekable UTF-8 input can be resumed: CsvHelper counts the
        // offsets of other encodings in UTF-8 bytes.
        private bool ResumeAfterRecord(CsvFormatException tooLarge, long line, out long skippedLines)
        {
            skippedLines = 0;
            _csv.Dispose();
            if (_stream is null || !_stream.CanSeek) return false;
            _header ??= FileHeader.Read(_stream, _streamStart, _options.Delimiter);
            if (_header is null) return false;
            if (tooLarge.ByteOffset <= 0) return false;
            _stream.Position = _streamStart + tooLarge.ByteOffset + _byteOffsetShift;
            if (!RecordSkipper.TrySkip(_stream, _options.Delimiter, out skippedLines)) return false;

            var recordsStart = _stream.Position - _streamStart;
            _csv = CsvReader.Create(new PrefixedStream(_header.Bytes, _stream), CreateCsvOptions(_options, OnMalformedRecord), leaveOpen: true);
            _csv.ReadHeader();
            _lineOffset = line + skippedLines - (_header.Lines + 1);
            _byteOffsetShift = recordsStart - _header.Bytes.Length;
            return true;
        }

        private IEnumerable<ImportResult> ReadOneByOne(ColumnBinding binding)
        {
            while (true)
            {
                var hasRecord = _csv.Read();
                while (_malformed.Count > 0) yield return new ImportResult(_malformed.Dequeue());
                if (!hasRecord) yield break;
                yield return ReadRecord(_csv, binding);
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _csv.Dispose();
            if (!_leaveOpen) _stream?.Dispose();
        }

        // Runs on the thread that parses: besides the text fields it collects, it reads only the settings of this reader.
        private ImportResult ReadRecord(CsvReader csv, ColumnBinding binding)
        {
            var line = csv.LineNumber + _lineOffset;
            if (line <= SkipThroughLine) return default;
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

            return new ImportResult(new Transaction(textFields.ToFields(), binding.Attributes, amount, timestamp, _source, line, Input));
        }

        private ImportResult MissingValue(CsvReader csv, TransactionField field, long line) =>
            WithItsRecord(csv, ImportError.MissingRequiredValue(_source, line, _options.Columns.ColumnNameOf(field)));

        // The error of the record csv is on, carrying the record as the file has it.
        private static ImportResult WithItsRecord(CsvReader csv, ImportError error) =>
            new ImportResult(error.WithRecord(Utf8Text.ToString(csv.RawRecord)));

        private void OnMalformedRecord(CsvMalformedRecord record)
        {
            var line = record.LineNumber + _lineOffset;
            if (!record.Skipped || line <= SkipThroughLine) return;
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

        internal static CsvReaderOptions CreateCsvOptions(TransactionCsvOptions options, Action<CsvMalformedRecord> onMalformedRecord) => new CsvReaderOptions
        {
            Separator = options.Delimiter,
            MaxRecordSize = options.MaxRecordSize,
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
        };
    }
}
