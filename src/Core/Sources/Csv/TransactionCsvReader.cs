using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using AnomalyTools.Sources.Files;
using CsvHelper;

namespace AnomalyTools.Sources.Csv
{
    /// <summary>
    /// Reads transactions from RFC 4180 CSV, one record at a time, in constant memory. A bad record is reported as
    /// an <see cref="ImportError"/> value and reading goes on; a header that is not valid CSV, is over the size limit or
    /// lacks a required column is one error and ends the file. UTF-8 with or without a byte order mark and UTF-16 with
    /// one; CRLF or LF. Records are framed as a followed file's are (<see cref="RecordFramer"/>), so that the size limit
    /// is the same exact one, and parsed on a thread of their own while the caller takes the results, in file order,
    /// unless <see cref="TransactionCsvOptions.ParseAhead"/> is off.
    /// </summary>
    public sealed class TransactionCsvReader : IDisposable
    {
        private const int ReadBlockSize = 256 * 1024;

        private readonly string _source;
        // A copy taken when the reader is made: the caller's options may change, or be shared, while it reads.
        private readonly TransactionCsvOptions _options;
        private readonly Stream _stream;
        private readonly bool _leaveOpen;
        private long _skipThroughLine;
        private bool _reportHeaderWarnings = true;
        private int _started;
        // Written by the thread that frames the records, read by the caller's for progress.
        private long _bytesRead;
        private InputFile? _input;

        /// <summary>Creates a reader of <paramref name="stream"/>, which it disposes unless <paramref name="leaveOpen"/>.</summary>
        /// <param name="stream">The CSV input, read sequentially from its current position.</param>
        /// <param name="source">The name errors and transactions give as their source, usually the file's path.</param>
        /// <param name="options">How to read it; the defaults when null. Copied: changing them later does not change this reader.</param>
        /// <param name="leaveOpen">Whether the stream stays open when the reader is disposed.</param>
        public TransactionCsvReader(Stream stream, string source, TransactionCsvOptions? options = null, bool leaveOpen = false)
        {
            _stream = stream ?? throw new ArgumentNullException(nameof(stream));
            _source = source ?? throw new ArgumentNullException(nameof(source));
            _options = (options ?? new TransactionCsvOptions()).Snapshot();
            _leaveOpen = leaveOpen;
        }

        /// <summary>
        /// Records that start on this line or before are read past without being given, their errors too: how reading
        /// resumes after what a checkpoint covers. 0, the default, gives every record. Set before <see cref="ReadAll"/>.
        /// </summary>
        /// <exception cref="InvalidOperationException">Reading has started.</exception>
        public long SkipThroughLine
        {
            get => _skipThroughLine;
            set
            {
                ThrowIfStarted();
                _skipThroughLine = value;
            }
        }

        /// <summary>
        /// The file being read, which every transaction carries to the sink so that its checkpoint names the file the rows
        /// came from; null when the input is not a file, and then no checkpoint covers its rows. Set before
        /// <see cref="ReadAll"/>.
        /// </summary>
        /// <exception cref="InvalidOperationException">Reading has started.</exception>
        public InputFile? Input
        {
            get => _input;
            set
            {
                ThrowIfStarted();
                _input = value;
            }
        }

        /// <summary>
        /// Whether what reading the header gives warnings of (columns renamed because their names came twice) is given as
        /// a <see cref="ImportError"/> whose <see cref="ImportError.IsWarning"/> is set; true by default. Set before
        /// <see cref="ReadAll"/>.
        /// </summary>
        /// <exception cref="InvalidOperationException">Reading has started.</exception>
        public bool ReportHeaderWarnings
        {
            get => _reportHeaderWarnings;
            set
            {
                ThrowIfStarted();
                _reportHeaderWarnings = value;
            }
        }

        /// <summary>
        /// How many bytes of the input have been read into records (or read past): how far reading has got. Safe to read on
        /// any thread while another reads the input.
        /// </summary>
        public long BytesRead => Interlocked.Read(ref _bytesRead);

        /// <summary>Reads the header, then every record, in file order. A reader reads once.</summary>
        /// <param name="cancellationToken">Stops reading between records, and while the header is read and checked.</param>
        /// <exception cref="InvalidOperationException">This reader has read already.</exception>
        public IEnumerable<ImportResult> ReadAll(CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("A TransactionCsvReader reads its input once.");
            return ReadAllIterator(cancellationToken);
        }

        private IEnumerable<ImportResult> ReadAllIterator(CancellationToken cancellationToken)
        {
            var framer = new RecordFramer(_options.Delimiter, _options.MaxRecordSize);
            var parser = new RecordParser(_source, _options, _skipThroughLine);
            var atEnd = false;
            // The header, on the caller's thread: its errors end the file before anything is parsed ahead.
            while (!framer.HasHeader)
            {
                cancellationToken.ThrowIfCancellationRequested();
                atEnd = framer.ReadFrom(_stream, ReadBlockSize) == 0;
                foreach (var frame in framer.Frames(atEnd, cancellationToken))
                {
                    var header = parser.ReadHeader(frame, _reportHeaderWarnings, cancellationToken);
                    foreach (var error in header.Errors) yield return new ImportResult(error);
                    if (!header.IsUsable) yield break;
                }
                if (atEnd && !framer.HasHeader) yield break;
            }
            Publish(framer);

            var records = ReadRecords(framer, parser, atEnd, cancellationToken);
            if (_options.ParseAhead) records = ReadAhead.Enumerate(records, cancellationToken);
            foreach (var result in records)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return result;
            }
        }

        // Every record after the header, each one over the size limit reported and read past.
        private IEnumerable<ImportResult> ReadRecords(RecordFramer framer, RecordParser parser, bool atEnd, CancellationToken cancellationToken)
        {
            while (true)
            {
                foreach (var frame in framer.Frames(atEnd, cancellationToken))
                {
                    foreach (var result in parser.Parse(frame, _input)) yield return result;
                }
                Publish(framer);
                if (atEnd) yield break;
                cancellationToken.ThrowIfCancellationRequested();
                // A long header is parsed again before each run of records: runs several times its length keep that cheap.
                atEnd = framer.ReadFrom(_stream, Math.Max(ReadBlockSize, 4 * framer.HeaderLength)) == 0;
            }
        }

        private void Publish(RecordFramer framer) => Interlocked.Exchange(ref _bytesRead, framer.BytesTaken);

        private void ThrowIfStarted()
        {
            if (Volatile.Read(ref _started) != 0) throw new InvalidOperationException("The reader's settings cannot change once it has started reading.");
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (!_leaveOpen) _stream.Dispose();
        }

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
