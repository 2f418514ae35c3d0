using System;

namespace AnomalyTools.Sources.Files
{
    /// <summary>What following a file can report.</summary>
    public enum FollowEventKind
    {
        /// <summary>A complete record was read: a transaction, or the error that kept it from being one.</summary>
        Record,

        /// <summary>A file began to be followed (one given, or a new one that came to match a wildcard).</summary>
        Started,

        /// <summary>The file became shorter than what was read: it is read again from the top.</summary>
        Truncated,

        /// <summary>The path now names another file (rotation): the new file is read from the top.</summary>
        Replaced,

        /// <summary>Following ended with the last record of the file not complete: it was not imported.</summary>
        IncompleteRecord,

        /// <summary>The file cannot be read any more and is no longer followed; <see cref="FollowEvent.Exception"/> says why.</summary>
        ReadFailed,

        /// <summary>
        /// Every file has been read to its end after records came, and following waits for more: the moment to pass on
        /// whatever was held back, such as a partly filled batch. Its path is empty.
        /// </summary>
        CaughtUp,
    }

    /// <summary>One thing that happened while following files.</summary>
    public readonly struct FollowEvent
    {
        private FollowEvent(FollowEventKind kind, string path, ImportResult result, long lineNumber, Exception? exception)
        {
            Kind = kind;
            Path = path;
            Result = result;
            LineNumber = lineNumber;
            Exception = exception;
        }

        /// <summary>What happened.</summary>
        public FollowEventKind Kind { get; }

        /// <summary>The file it happened to.</summary>
        public string Path { get; }

        /// <summary>For <see cref="FollowEventKind.Record"/>: the transaction or the error.</summary>
        public ImportResult Result { get; }

        /// <summary>For <see cref="FollowEventKind.IncompleteRecord"/>: the line where the incomplete record starts.</summary>
        public long LineNumber { get; }

        /// <summary>For <see cref="FollowEventKind.ReadFailed"/>: the cause.</summary>
        public Exception? Exception { get; }

        internal static FollowEvent Record(string path, ImportResult result) => new FollowEvent(FollowEventKind.Record, path, result, 0, null);

        internal static FollowEvent Notice(FollowEventKind kind, string path, long lineNumber = 0) => new FollowEvent(kind, path, default, lineNumber, null);

        internal static FollowEvent Failed(string path, Exception exception) => new FollowEvent(FollowEventKind.ReadFailed, path, default, 0, exception);
    }
}
