using System;
using System.Collections.Generic;
using System.Threading;

namespace AnomalyTools.Sources
{
    /// <summary>
    /// Where transactions come from: files read once (<see cref="Files.CsvFileSource"/>), files followed as they grow
    /// (<see cref="Files.FileFollower"/>), and later a topic's partitions. A source gives one kind of event
    /// (<see cref="SourceEvent"/>): records, each transaction carrying its position for the sink's checkpoint, and what
    /// else happened (an input started, failed, was truncated; the source caught up). Errors in the data are events, not
    /// exceptions, so the caller reports them and reading goes on.
    /// </summary>
    public interface ITransactionSource : IDisposable
    {
        /// <summary>
        /// Reads the source, on the caller's thread, until it ends (every input read, for a source that does not wait) or
        /// <paramref name="cancellationToken"/> is cancelled. A source reads once.
        /// </summary>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        IEnumerable<SourceEvent> Read(CancellationToken cancellationToken);
    }
}
