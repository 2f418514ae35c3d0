using System;

namespace AnomalyTools.Sources
{
    /// <summary>What reading a source can report; the cmdlet maps each kind to output, an error, a warning or progress.</summary>
    public enum SourceEventKind
    {
        /// <summary>
        /// A complete record was read: a transaction (which carries its position), or the error that kept it from being
        /// one. One kind for both, so that whoever counts records (the error budget) counts each once.
        /// </summary>
        Record,

        /// <summary>An input began to be read (one given, or a new one that came to match a wildcard).</summary>
        Started,

        /// <summary>The file became shorter than what was read: it is read again from the top.</summary>
        Truncated,

        /// <summary>The path now names another file (rotation): the new file is read from the top.</summary>
        Replaced,

        /// <summary>Reading ended with the last record of the input not complete: it was not imported.</summary>
        IncompleteRecord,

        /// <summary>The input cannot be read any more and is no longer read; <see cref="SourceEvent.Exception"/> says why.</summary>
        ReadFailed,

        /// <summary>
        /// A live source has read every input to its end after records came, and waits for more: the moment to pass on
        /// whatever was held back, such as a partly filled batch. Its input is empty.
        /// </summary>
        CaughtUp,

        /// <summary>
        /// How far reading an input has got, now and then: <see cref="SourceEvent.Completed"/> of
        /// <see cref="SourceEvent.Total"/> bytes.
        /// </summary>
        Progress,

        /// <summary>A source that reads each input once (no waiting) has read one to its end, or given up on it after <see cref="ReadFailed"/>.</summary>
        InputEnded,

        /// <summary>A live source was given inputs to read (a topic's partitions): <see cref="SourceEvent.Path"/> lists them.</summary>
        InputsAssigned,

        /// <summary>A live source was relieved of inputs (partitions given to another group member): <see cref="SourceEvent.Path"/> lists them.</summary>
        InputsRevoked,

        /// <summary>
        /// A passing error that the source retries by itself (a broker down for a moment), never a record's:
        /// <see cref="SourceEvent.Path"/> says what happened.
        /// </summary>
        TransientError,
    }

    /// <summary>One thing that happened while reading a source: the one kind of event every source gives.</summary>
    public readonly struct SourceEvent
    {
        private SourceEvent(SourceEventKind kind, string path, ImportResult result, long lineNumber, Exception? exception, long completed = 0, long total = 0)
        {
            Kind = kind;
            Path = path;
            Result = result;
            LineNumber = lineNumber;
            Exception = exception;
            Completed = completed;
            Total = total;
        }

        /// <summary>What happened.</summary>
        public SourceEventKind Kind { get; }

        /// <summary>The input it happened to: a file's full path, or a description of another input (a topic's partition).</summary>
        public string Path { get; }

        /// <summary>For <see cref="SourceEventKind.Record"/>: the transaction or the error.</summary>
        public ImportResult Result { get; }

        /// <summary>For <see cref="SourceEventKind.IncompleteRecord"/>: the line where the incomplete record starts.</summary>
        public long LineNumber { get; }

        /// <summary>For <see cref="SourceEventKind.ReadFailed"/>: the cause.</summary>
        public Exception? Exception { get; }

        /// <summary>For <see cref="SourceEventKind.Progress"/>: how much of the input has been read (bytes, for a file).</summary>
        public long Completed { get; }

        /// <summary>For <see cref="SourceEventKind.Progress"/>: how much there is to read; 0 when unknown.</summary>
        public long Total { get; }

        internal static SourceEvent Record(string path, ImportResult result) => new SourceEvent(SourceEventKind.Record, path, result, 0, null);

        internal static SourceEvent Notice(SourceEventKind kind, string path, long lineNumber = 0) => new SourceEvent(kind, path, default, lineNumber, null);

        internal static SourceEvent Failed(string path, Exception exception) => new SourceEvent(SourceEventKind.ReadFailed, path, default, 0, exception);

        internal static SourceEvent ProgressOf(string path, long completed, long total) =>
            new SourceEvent(SourceEventKind.Progress, path, default, 0, null, completed, total);
    }
}
