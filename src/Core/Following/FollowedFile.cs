using System;
using System.Collections.Generic;
using System.IO;
using AnomalyTools.Checkpoints;

namespace AnomalyTools.Following
{
    /// <summary>
    /// One file being followed: reads what was appended since the last look, parses the complete records and holds
    /// back an incomplete last one until the rest of it arrives. CsvHelper treats the end of its input as final, so
    /// each batch of complete records is parsed on its own, behind a copy of the file's header.
    /// </summary>
    internal sealed class FollowedFile : IDisposable
    {
        private const int ReadBlockSize = 64 * 1024;
        private const int MaxBytesPerPoll = 1024 * 1024;
        private const int SignatureLength = 4096;

        private readonly TransactionCsvOptions _options;
        private readonly byte[] _signature = new byte[SignatureLength];
        private FileStream? _stream;
        private byte[] _buffer = new byte[ReadBlockSize];
        private long _position;
        private int _length;
        private int _prefixLength;
        private int _headerLines;
        private long _nextLine;
        private int _signatureLength;
        private RecordBoundaryScanner? _scanner;
        private long _skipThroughLine;
        // The line where a record over the size limit starts while the rest of it is read past; 0 when none is.
        private long _tooLargeFromLine;
        // The file as read so far, which the records carry to the sink's checkpoint; made again while its start grows.
        private InputFile? _input;

        /// <summary>Follows <paramref name="path"/>; records that start on <paramref name="skipThroughLine"/> or before are not given, unless the file is truncated or replaced.</summary>
        public FollowedFile(string path, TransactionCsvOptions options, long skipThroughLine)
        {
            Path = path;
            _options = options;
            Reset();
            _skipThroughLine = skipThroughLine;
        }

        /// <summary>The followed path.</summary>
        public string Path { get; }

        /// <summary>Whether the file is no longer followed: it could not be read, or its header lacks a required column.</summary>
        public bool Ended { get; private set; }

        /// <summary>
        /// Reads what was appended and adds what it gives to <paramref name="events"/>. When nothing was appended and
        /// <paramref name="checkReplacement"/> is set, checks whether the path now names another file.
        /// </summary>
        /// <returns>Whether anything happened: bytes were read, or the file was truncated or replaced.</returns>
        public bool Poll(List<FollowEvent> events, bool checkReplacement)
        {
            if (Ended) return false;
            try
            {
                _stream ??= Open();
                if (_stream.Length < _position)
                {
                    events.Add(FollowEvent.Notice(FollowEventKind.Truncated, Path));
                    _stream.Position = 0;
                    Reset();
                }
                if (ReadAppended(events)) return true;
                if (!checkReplacement || !IsReplaced()) return false;

                AddIncompleteRecord(events);
                events.Add(FollowEvent.Notice(FollowEventKind.Replaced, Path));
                _stream.Dispose();
                _stream = null;
                Reset();
                return true;
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                events.Add(FollowEvent.Failed(Path, exception));
                End();
                return false;
            }
        }

        /// <summary>Adds an <see cref="FollowEventKind.IncompleteRecord"/> event when the file ends in an incomplete record.</summary>
        public void AddIncompleteRecord(List<FollowEvent> events)
        {
            var start = Math.Max(_scanner?.Boundary ?? 0, _prefixLength);
            for (var i = start; i < _length; i++)
            {
                var value = _buffer[i];
                if (value != ' ' && value != '\t' && value != '\r' && value != '\n' && value != 0)
                {
                    events.Add(FollowEvent.Notice(FollowEventKind.IncompleteRecord, Path, _nextLine));
                    return;
                }
            }
        }

        public void Dispose() => _stream?.Dispose();

        private FileStream Open() =>
            new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);

        private void Reset()
        {
            _position = 0;
            _length = 0;
            _prefixLength = 0;
            _headerLines = 0;
            _nextLine = 1;
            _signatureLength = 0;
            _scanner = null;
            _skipThroughLine = 0;
            _tooLargeFromLine = 0;
            _input = null;
        }

        private void End()
        {
            Ended = true;
            _stream?.Dispose();
            _stream = null;
        }

        private bool ReadAppended(List<FollowEvent> events)
        {
            var total = 0;
            while (total < MaxBytesPerPoll)
            {
                if (_buffer.Length - _length < ReadBlockSize) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + ReadBlockSize));
                var read = _stream!.Read(_buffer, _length, ReadBlockSize);
                if (read == 0) break;
                KeepSignature(_length, read);
                _position += read;
                _length += read;
                total += read;
            }
            if (total == 0) return false;
            ParseCompleteRecords(events);
            return true;
        }

        // The first bytes of the file, to recognise it when its path may have been given to another file.
        private void KeepSignature(int offset, int count)
        {
            var take = (int)Math.Min(count, SignatureLength - Math.Min(_position, SignatureLength));
            if (take <= 0) return;
            Buffer.BlockCopy(_buffer, offset, _signature, _signatureLength, take);
            _signatureLength += take;
        }

        private void ParseCompleteRecords(List<FollowEvent> events)
        {
            if (_scanner is null && !DetectEncoding()) return;
            var scanner = _scanner!;
            if (_prefixLength == 0)
            {
                if (!scanner.Scan(_buffer, _length, stopAfterFirstRecord: true))
                {
                    if (_length > _options.MaxRecordSize) EndWithTooLargeRecord(events, line: 1);
                    return;
                }
                _prefixLength = scanner.Boundary;
                _headerLines = scanner.LinesToBoundary;
                _nextLine = _headerLines + 1;
                scanner.Consume();
                if (!Parse(events, _prefixLength, firstLook: true)) return;
            }
            if (_tooLargeFromLine > 0 && !SkipTooLargeRecord(events)) return;

            scanner.Scan(_buffer, _length, stopAfterFirstRecord: false);
            if (scanner.Boundary > _prefixLength)
            {
                Parse(events, scanner.Boundary, firstLook: false);
                _nextLine += scanner.LinesToBoundary;
                scanner.Consume();
                TakeRecordsBefore(scanner.Boundary);
            }
            // A record that is not complete yet and already over the limit is read past rather than held.
            if (_length - _prefixLength > _options.MaxRecordSize)
            {
                _tooLargeFromLine = _nextLine;
                DropIncompleteRecord();
            }
        }

        // Reads past more of a record over the size limit; true once it has ended and been reported.
        private bool SkipTooLargeRecord(List<FollowEvent> events)
        {
            var scanner = _scanner!;
            if (!scanner.Scan(_buffer, _length, stopAfterFirstRecord: true))
            {
                DropIncompleteRecord();
                return false;
            }
            var error = ImportError.RecordTooLarge(Path, _tooLargeFromLine, _options.MaxRecordSize, scanner.LinesToBoundary);
            if (_tooLargeFromLine > _skipThroughLine) events.Add(FollowEvent.Record(Path, new ImportResult(error)));
            _nextLine += scanner.LinesToBoundary;
            scanner.Consume();
            TakeRecordsBefore(scanner.Boundary);
            _tooLargeFromLine = 0;
            return true;
        }

        private void EndWithTooLargeRecord(List<FollowEvent> events, long line)
        {
            events.Add(FollowEvent.Record(Path, new ImportResult(ImportError.RecordTooLarge(Path, line, _options.MaxRecordSize, linesSkipped: 0))));
            End();
        }

        // Removes the bytes after the header up to end, which have been taken.
        private void TakeRecordsBefore(int end)
        {
            var taken = end - _prefixLength;
            Buffer.BlockCopy(_buffer, end, _buffer, _prefixLength, _length - end);
            _length -= taken;
            _scanner!.Shift(taken);
        }

        // Forgets the bytes of the incomplete record after the header; the scanner keeps its state within the record.
        private void DropIncompleteRecord()
        {
            var dropped = _length - _prefixLength;
            _length = _prefixLength;
            _scanner!.Shift(dropped);
        }

        /// <summary>
        /// Parses the header and the complete records before <paramref name="end"/>; false when the header is unusable.
        /// What the header gives warnings of is reported on the <paramref name="firstLook"/> at it only.
        /// </summary>
        private bool Parse(List<FollowEvent> events, int end, bool firstLook)
        {
            var lineOffset = _nextLine - (_headerLines + 1);
            using var reader = new TransactionCsvReader(new ReadOnlyMemory<byte>(_buffer, 0, end), Path, _options, lineOffset)
            {
                SkipThroughLine = _skipThroughLine,
                ReportHeaderWarnings = firstLook,
                Input = Input(),
            };
            foreach (var result in reader.ReadAll())
            {
                events.Add(FollowEvent.Record(Path, result));
                if (result.Error?.SkipsFile == true)
                {
                    End();
                    return false;
                }
            }
            return true;
        }

        // The bytes are the ones this handle read, so a file that replaced this one at the path meanwhile is not taken for it.
        private InputFile Input()
        {
            if (_input is null || _input.Fingerprint.Length != _signatureLength) _input = new InputFile(Path, new ReadOnlySpan<byte>(_signature, 0, _signatureLength));
            return _input;
        }

        // The byte order mark, if any, says how wide a code unit is; it stays in the buffer for CsvHelper to read too.
        private bool DetectEncoding() => RecordBoundaryScanner.TryCreateForInput(_buffer, _length, _options.Delimiter, out _scanner);

        private bool IsReplaced()
        {
            FileStream current;
            try
            {
                current = Open();
            }
            catch (Exception exception) when (exception is FileNotFoundException || exception is DirectoryNotFoundException)
            {
                // Renamed or deleted, and nothing in its place yet: the open file is still followed.
                return false;
            }
            using (current)
            {
                if (current.Length < _stream!.Length) return true;
                return !StreamStart.StartsWith(current, new ReadOnlySpan<byte>(_signature, 0, _signatureLength));
            }
        }
    }
}
