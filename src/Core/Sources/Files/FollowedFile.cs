using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using AnomalyTools.Sources.Csv;

namespace AnomalyTools.Sources.Files
{
    /// <summary>
    /// One file being followed: reads what was appended since the last look and hands the complete records on, holding
    /// back an incomplete last one until the rest of it arrives. Records are framed as a file read once is framed
    /// (<see cref="RecordFramer"/>), so that the same bytes give the same records and errors however they arrive.
    /// </summary>
    internal sealed class FollowedFile : IDisposable
    {
        private const int ReadBlockSize = 64 * 1024;
        private const int MaxBytesPerPoll = 1024 * 1024;
        private const int SignatureLength = 4096;

        private readonly TransactionCsvOptions _options;
        private readonly byte[] _signature = new byte[SignatureLength];
        private FileStream? _stream;
        private long _position;
        private int _signatureLength;
        // The file as read so far, which the records carry to the sink's checkpoint; made again while its start grows.
        private InputFile? _input;
        private RecordFramer _framer;
        private RecordParser _parser;

        /// <summary>Follows <paramref name="path"/>; records that start on <paramref name="skipThroughLine"/> or before are not given, unless the file is truncated or replaced.</summary>
        public FollowedFile(string path, TransactionCsvOptions options, long skipThroughLine)
        {
            Path = path;
            _options = options;
            _framer = new RecordFramer(options.Delimiter, options.MaxRecordSize);
            _parser = new RecordParser(path, options, skipThroughLine);
        }

        /// <summary>The followed path.</summary>
        public string Path { get; }

        /// <summary>Whether the file is no longer followed: it could not be read, or its header is unusable.</summary>
        public bool Ended { get; private set; }

        /// <summary>
        /// Reads what was appended and adds what it gives to <paramref name="events"/>. When nothing was appended and
        /// <paramref name="checkReplacement"/> is set, checks whether the path now names another file.
        /// </summary>
        /// <returns>Whether anything happened: bytes were read, or the file was truncated or replaced.</returns>
        public bool Poll(List<SourceEvent> events, bool checkReplacement)
        {
            if (Ended) return false;
            try
            {
                _stream ??= Open();
                if (_stream.Length < _position)
                {
                    events.Add(SourceEvent.Notice(SourceEventKind.Truncated, Path));
                    _stream.Position = 0;
                    Reset();
                }
                if (ReadAppended(events)) return true;
                if (!checkReplacement || !IsReplaced()) return false;

                AddIncompleteRecord(events);
                events.Add(SourceEvent.Notice(SourceEventKind.Replaced, Path));
                _stream.Dispose();
                _stream = null;
                Reset();
                return true;
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                events.Add(SourceEvent.Failed(Path, exception));
                End();
                return false;
            }
        }

        /// <summary>Adds an <see cref="SourceEventKind.IncompleteRecord"/> event when the file ends in an incomplete record.</summary>
        public void AddIncompleteRecord(List<SourceEvent> events)
        {
            var line = _framer.IncompleteRecordLine;
            if (line > 0) events.Add(SourceEvent.Notice(SourceEventKind.IncompleteRecord, Path, line));
        }

        public void Dispose() => _stream?.Dispose();

        private FileStream Open() =>
            new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);

        // Reading starts again from the top of the file, every record given.
        private void Reset()
        {
            _position = 0;
            _signatureLength = 0;
            _input = null;
            _framer = new RecordFramer(_options.Delimiter, _options.MaxRecordSize);
            _parser = new RecordParser(Path, _options, 0);
        }

        private void End()
        {
            Ended = true;
            _stream?.Dispose();
            _stream = null;
        }

        private bool ReadAppended(List<SourceEvent> events)
        {
            var total = 0;
            while (total < MaxBytesPerPoll)
            {
                var read = _framer.ReadFrom(_stream!, ReadBlockSize);
                if (read == 0) break;
                KeepSignature(_framer.LastRead(read));
                _position += read;
                total += read;
            }
            if (total == 0) return false;
            ParseCompleteRecords(events);
            return true;
        }

        // The first bytes of the file, to recognise it when its path may have been given to another file.
        private void KeepSignature(ReadOnlySpan<byte> read)
        {
            var take = (int)Math.Min(read.Length, SignatureLength - Math.Min(_position, SignatureLength));
            if (take <= 0) return;
            read.Slice(0, take).CopyTo(new Span<byte>(_signature, _signatureLength, take));
            _signatureLength += take;
        }

        private void ParseCompleteRecords(List<SourceEvent> events)
        {
            if (!_framer.HasHeader)
            {
                foreach (var frame in _framer.Frames(atEnd: false, CancellationToken.None))
                {
                    var header = _parser.ReadHeader(frame, reportWarnings: true, CancellationToken.None);
                    foreach (var error in header.Errors) events.Add(SourceEvent.Record(Path, new ImportResult(error)));
                    if (!header.IsUsable)
                    {
                        End();
                        return;
                    }
                }
                if (!_framer.HasHeader) return;
            }
            foreach (var frame in _framer.Frames(atEnd: false, CancellationToken.None))
            {
                foreach (var result in _parser.Parse(frame, Input())) events.Add(SourceEvent.Record(Path, result));
            }
        }

        // The bytes are the ones this handle read, so a file that replaced this one at the path meanwhile is not taken for it.
        private InputFile Input()
        {
            if (_input is null || _input.Fingerprint.Length != _signatureLength) _input = new InputFile(Path, new ReadOnlySpan<byte>(_signature, 0, _signatureLength));
            return _input;
        }

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
