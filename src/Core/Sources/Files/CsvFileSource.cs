using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using AnomalyTools.Sources.Csv;

namespace AnomalyTools.Sources.Files
{
    /// <summary>
    /// Reads CSV files once each, in turn, to their end: following that never waits. Each file is read by a
    /// <see cref="TransactionCsvReader"/> (the follower's framer and parser, with parsing a few batches ahead on a thread
    /// of its own), and every transaction carries the file as its reader saw it, for the sink's checkpoint. Gives a
    /// <see cref="SourceEventKind.Progress"/> event every <see cref="ProgressRecords"/> records, and
    /// <see cref="SourceEventKind.InputEnded"/> after each file, even one that failed.
    /// </summary>
    public sealed class CsvFileSource : ITransactionSource
    {
        /// <summary>How many records pass between two progress events: a look at the clock for each record would cost more than the record.</summary>
        public const int ProgressRecords = 1024;

        private readonly IEnumerable<string> _paths;
        private readonly TransactionCsvOptions _csvOptions;

        /// <summary>A source of the files at <paramref name="paths"/> (full paths, taken one by one as reading reaches them), read as <paramref name="csvOptions"/> say.</summary>
        public CsvFileSource(IEnumerable<string> paths, TransactionCsvOptions? csvOptions = null)
        {
            _paths = paths ?? throw new ArgumentNullException(nameof(paths));
            _csvOptions = (csvOptions ?? new TransactionCsvOptions()).Snapshot();
        }

        /// <summary>
        /// The line through which a file, as opened, is read past without its records being given (a resumed run's; see
        /// <see cref="Checkpoints.InputPositions.SkipThroughLine(InputFile, out bool)"/>); null: none.
        /// </summary>
        public Func<InputFile, long>? SkipThroughLineOf { get; set; }

        /// <inheritdoc />
        public IEnumerable<SourceEvent> Read(CancellationToken cancellationToken)
        {
            foreach (var path in _paths)
            {
                foreach (var sourceEvent in ReadFile(path, cancellationToken)) yield return sourceEvent;
                yield return SourceEvent.Notice(SourceEventKind.InputEnded, path);
            }
        }

        // A file that cannot be opened or read is one ReadFailed event; what was read of it before stands.
        private IEnumerable<SourceEvent> ReadFile(string path, CancellationToken cancellationToken)
        {
            FileStream? stream = null;
            TransactionCsvReader? reader = null;
            IEnumerator<ImportResult>? results = null;
            Exception? failure = null;
            long length = 0;
            try
            {
                try
                {
                    stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.SequentialScan);
                    var input = InputFile.Read(stream, path);
                    reader = new TransactionCsvReader(stream, path, _csvOptions, leaveOpen: true) { SkipThroughLine = SkipThroughLineOf?.Invoke(input) ?? 0, Input = input };
                    length = stream.Length;
                    results = reader.ReadAll(cancellationToken).GetEnumerator();
                }
                catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
                {
                    failure = exception;
                }
                var records = 0;
                while (failure is null)
                {
                    try
                    {
                        if (!results!.MoveNext()) break;
                    }
                    catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
                    {
                        failure = exception;
                        break;
                    }
                    yield return SourceEvent.Record(path, results.Current);
                    if (++records % ProgressRecords == 0) yield return SourceEvent.ProgressOf(path, reader!.BytesRead, length);
                }
            }
            finally
            {
                results?.Dispose();
                reader?.Dispose();
                stream?.Dispose();
            }
            if (failure != null) yield return SourceEvent.Failed(path, failure);
        }

        /// <inheritdoc />
        public void Dispose()
        {
            // Nothing outlives Read: each file is closed once read, or when reading stops.
        }
    }
}
