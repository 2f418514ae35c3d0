using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace AnomalyTools.Sources.Csv
{
    /// <summary>
    /// Cuts CSV input into its header and its records, and enforces the record size limit exactly, whatever pieces the
    /// input arrives in: the one framer of a file read once and of a followed file, so that both read the same bytes as
    /// the same records. Holds at most the header, one record up to the limit and the block being read; a record over
    /// the limit is read past in constant memory. The records are handed on in runs, each after a copy of the header,
    /// for CsvHelper to parse from memory.
    /// </summary>
    internal sealed class RecordFramer
    {
        private readonly char _delimiter;
        private readonly int _maxRecordSize;
        private byte[] _buffer = new byte[64 * 1024];
        private int _length;
        private RecordBoundaryScanner? _scanner;
        private int _prefixLength;
        private int _headerLines;
        // The line of the first record after the header that has not been handed on.
        private long _nextLine;
        // The offset in the input of the byte after the header in the buffer.
        private long _takenOffset;
        // The line where a record over the size limit starts while the rest of it is read past; 0 when none is.
        private long _tooLargeFromLine;
        private bool _ended;

        /// <summary>Creates a framer of input whose fields are separated by <paramref name="delimiter"/>.</summary>
        public RecordFramer(char delimiter, int maxRecordSize)
        {
            _delimiter = delimiter;
            _maxRecordSize = maxRecordSize;
        }

        /// <summary>Whether the header has been found.</summary>
        public bool HasHeader => _prefixLength > 0;

        /// <summary>The bytes of the input up to the end of the header; 0 until it has been found.</summary>
        public int HeaderLength => _prefixLength;

        /// <summary>The lines the header takes, blank lines before it included.</summary>
        public int HeaderLines => _headerLines;

        /// <summary>The offset in the input up to which records have been handed on or read past.</summary>
        public long BytesTaken => _takenOffset + (_prefixLength == 0 ? 0 : _prefixLength);

        /// <summary>
        /// The line where the incomplete record at the end of what was read starts, or 0 when what was read ends with a
        /// complete record (or blanks). A record over the limit that has not ended counts as incomplete.
        /// </summary>
        public long IncompleteRecordLine
        {
            get
            {
                if (_tooLargeFromLine > 0) return _tooLargeFromLine;
                var start = Math.Max(_scanner?.Boundary ?? 0, _prefixLength);
                for (var i = start; i < _length; i++)
                {
                    var value = _buffer[i];
                    if (value != ' ' && value != '\t' && value != '\r' && value != '\n' && value != 0)
                    {
                        return _prefixLength == 0 ? 1 + (_scanner?.LinesToBoundary ?? 0) : _nextLine;
                    }
                }
                return 0;
            }
        }

        /// <summary>The bytes read by the last <see cref="ReadFrom"/>, until the next call of anything else.</summary>
        public ReadOnlySpan<byte> LastRead(int count) => new ReadOnlySpan<byte>(_buffer, _length - count, count);

        /// <summary>Reads up to <paramref name="maxBytes"/> more bytes of the input; 0 at its end (for now).</summary>
        public int ReadFrom(Stream stream, int maxBytes)
        {
            if (_buffer.Length - _length < maxBytes) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + maxBytes));
            var total = 0;
            while (total < maxBytes)
            {
                var read = stream.Read(_buffer, _length, maxBytes - total);
                if (read == 0) break;
                _length += read;
                total += read;
            }
            return total;
        }

        /// <summary>
        /// What the bytes read so far hold, in input order: the header alone until it has been given, then the records.
        /// Each frame's bytes are valid until the next one is asked for.
        /// With <paramref name="atEnd"/>, the input has ended: its last record is handed on even without a line end,
        /// and a record over the limit that has not ended is reported as running to the end.
        /// </summary>
        public IEnumerable<Frame> Frames(bool atEnd, CancellationToken cancellationToken)
        {
            if (_ended) yield break;
            if (_scanner is null && !RecordBoundaryScanner.TryCreateForInput(_buffer, _length, _delimiter, out _scanner))
            {
                if (!atEnd) yield break;
                _scanner = new RecordBoundaryScanner(_delimiter, unitWidth: 1, bigEndian: false, start: 0);
            }
            var scanner = _scanner!;
            if (_prefixLength == 0)
            {
                // The header alone, so that the caller can check it before it asks for the records.
                var header = FindHeader(scanner, atEnd);
                if (header.Kind != FrameKind.None) yield return header;
                yield break;
            }

            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_tooLargeFromLine > 0)
                {
                    var line = _tooLargeFromLine;
                    if (!scanner.ScanToNextBoundary(_buffer, _length))
                    {
                        DropAfterPrefix();
                        if (!atEnd) yield break;
                        _ended = true;
                        yield return Frame.TooLarge(line, 0);
                        yield break;
                    }
                    var lines = scanner.LinesToBoundary;
                    _tooLargeFromLine = 0;
                    _nextLine += lines;
                    TakeBefore(scanner.Boundary);
                    yield return Frame.TooLarge(line, lines);
                    continue;
                }

                // The complete records, each checked against the limit, up to the first one over it.
                var recordStart = _prefixLength;
                var linesBefore = 0;
                var tooLarge = false;
                while (scanner.ScanToNextBoundary(_buffer, _length))
                {
                    if (scanner.Boundary - recordStart > _maxRecordSize)
                    {
                        tooLarge = true;
                        break;
                    }
                    recordStart = scanner.Boundary;
                    linesBefore = scanner.LinesToBoundary;
                }
                var complete = tooLarge;
                var runEnd = recordStart;
                if (!tooLarge)
                {
                    var rest = _length - recordStart;
                    if (rest > _maxRecordSize) tooLarge = true;
                    // The input ends without a line end after its last record.
                    else if (atEnd && rest > 0) runEnd = _length;
                }

                if (runEnd > _prefixLength) yield return Frame.Records(new ReadOnlyMemory<byte>(_buffer, 0, runEnd), _nextLine, _headerLines);

                if (!tooLarge)
                {
                    if (atEnd)
                    {
                        _takenOffset += _length - _prefixLength;
                        _length = _prefixLength;
                        _ended = true;
                        yield break;
                    }
                    _nextLine += linesBefore;
                    TakeBefore(recordStart);
                    yield break;
                }
                if (complete)
                {
                    var line = _nextLine + linesBefore;
                    var lines = scanner.LinesToBoundary - linesBefore;
                    _nextLine += scanner.LinesToBoundary;
                    TakeBefore(scanner.Boundary);
                    yield return Frame.TooLarge(line, lines);
                    continue;
                }

                // A record that has not ended and is already over the limit: read past, not held.
                _tooLargeFromLine = _nextLine + linesBefore;
                _nextLine += linesBefore;
                TakeBefore(recordStart);
                DropAfterPrefix();
                if (!atEnd) yield break;
                _ended = true;
                yield return Frame.TooLarge(_tooLargeFromLine, 0);
                yield break;
            }
        }

        // The first record that is not blank; a header over the limit ends the input.
        private Frame FindHeader(RecordBoundaryScanner scanner, bool atEnd)
        {
            while (true)
            {
                var start = scanner.Boundary;
                var linesBefore = scanner.LinesToBoundary;
                if (!scanner.ScanToNextBoundary(_buffer, _length))
                {
                    var rest = _length - scanner.Boundary;
                    if (rest > _maxRecordSize) return EndWithHeaderTooLarge(1 + scanner.LinesToBoundary);
                    if (!atEnd) return default;
                    if (IncompleteRecordLine == 0)
                    {
                        _ended = true;
                        return default;
                    }
                    // A header without a line end: the whole input.
                    _prefixLength = _length;
                    _headerLines = scanner.LinesToBoundary;
                    _nextLine = _headerLines + 1;
                    return Frame.Header(new ReadOnlyMemory<byte>(_buffer, 0, _prefixLength), 1 + scanner.LinesToBoundary);
                }
                if (!scanner.LastRecordHadContent) continue;
                if (scanner.Boundary - start > _maxRecordSize) return EndWithHeaderTooLarge(1 + linesBefore);
                _prefixLength = scanner.Boundary;
                _headerLines = scanner.LinesToBoundary;
                _nextLine = _headerLines + 1;
                scanner.Consume();
                return Frame.Header(new ReadOnlyMemory<byte>(_buffer, 0, _prefixLength), 1 + linesBefore);
            }
        }

        private Frame EndWithHeaderTooLarge(long line)
        {
            _ended = true;
            return Frame.TooLarge(line, 0);
        }

        // Removes the bytes after the header up to end, the scanner's boundary, whose records have been handed on.
        private void TakeBefore(int end)
        {
            var taken = end - _prefixLength;
            Buffer.BlockCopy(_buffer, end, _buffer, _prefixLength, _length - end);
            _length -= taken;
            _takenOffset += taken;
            _scanner!.Shift(taken);
            _scanner.Consume();
        }

        // Forgets the bytes of the incomplete record after the header; the scanner keeps its state within the record.
        private void DropAfterPrefix()
        {
            var dropped = _length - _prefixLength;
            _length = _prefixLength;
            _takenOffset += dropped;
            _scanner!.Shift(dropped);
        }
    }

    /// <summary>What a <see cref="RecordFramer"/> found.</summary>
    internal enum FrameKind
    {
        None,

        /// <summary>The header: <see cref="Frame.Bytes"/> are the input up to its end.</summary>
        Header,

        /// <summary>Complete records, each within the limit, after a copy of the header.</summary>
        Records,

        /// <summary>A record over the size limit, read past.</summary>
        TooLarge,
    }

    /// <summary>One thing a <see cref="RecordFramer"/> found.</summary>
    internal readonly struct Frame
    {
        private Frame(FrameKind kind, ReadOnlyMemory<byte> bytes, long line, long lines)
        {
            Kind = kind;
            Bytes = bytes;
            Line = line;
            Lines = lines;
        }

        public FrameKind Kind { get; }

        /// <summary>The header, or the header followed by the records.</summary>
        public ReadOnlyMemory<byte> Bytes { get; }

        /// <summary>The line of the header, of the first record, or where the record too large starts.</summary>
        public long Line { get; }

        /// <summary>For <see cref="FrameKind.Records"/>, the lines of the header; for a record too large, those it spans (0 when the input ends inside it).</summary>
        public long Lines { get; }

        public static Frame Header(ReadOnlyMemory<byte> bytes, long line) => new Frame(FrameKind.Header, bytes, line, 0);

        public static Frame Records(ReadOnlyMemory<byte> bytes, long firstLine, long headerLines) =>
            new Frame(FrameKind.Records, bytes, firstLine, headerLines);

        public static Frame TooLarge(long line, long lines) => new Frame(FrameKind.TooLarge, default, line, lines);
    }
}
