using System;
using System.Globalization;

namespace AnomalyTools.Sources.Csv
{
    /// <summary>How a transactions CSV file is read.</summary>
    public sealed class TransactionCsvOptions
    {
        /// <summary>The field delimiter; a comma by default. Must be an ASCII character other than the double quote.</summary>
        public char Delimiter { get; set; } = ',';

        /// <summary>The culture of the amounts; null (the default) for the invariant culture.</summary>
        public CultureInfo? Culture { get; set; }

        /// <summary>Which columns hold the transaction's fields.</summary>
        public ColumnMap Columns { get; set; } = ColumnMap.Default;

        /// <summary>The largest record read by default, in bytes: 1 MiB, far more than a transaction needs.</summary>
        public const int DefaultMaxRecordSize = 1024 * 1024;

        /// <summary>
        /// The largest record, in bytes of the input (its line end included), that is read: a longer one is skipped with a
        /// RecordTooLarge error, so memory stays bounded whatever the input (a quote that is never closed, a line without
        /// an end). The limit is exact, and the same whether a file is read once or followed, however its bytes arrive.
        /// </summary>
        public int MaxRecordSize { get; set; } = DefaultMaxRecordSize;

        /// <summary>
        /// Whether records are parsed on a thread of their own and handed to the caller in file order, in batches of 256,
        /// at most a few thousand ahead; otherwise on the caller's thread, each as it is taken. A record reaches the caller
        /// once its batch is full or the input ends, so a stream that grows slowly is better read without (follow mode
        /// reads without). True by default when there is more than one processor: the caller's thread has work of its
        /// own, such as a PowerShell pipeline's.
        /// </summary>
        public bool ParseAhead { get; set; } = Environment.ProcessorCount > 1;

        /// <summary>
        /// A copy that nothing else holds, checked, with a read-only culture: what a reader keeps, since these options
        /// may be changed or shared by the caller while it reads, on another thread.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The record size limit is not positive.</exception>
        internal TransactionCsvOptions Snapshot()
        {
            if (MaxRecordSize <= 0) throw new ArgumentOutOfRangeException(nameof(MaxRecordSize), MaxRecordSize, "The record size limit must be positive.");
            return new TransactionCsvOptions
            {
                Delimiter = Delimiter,
                Culture = Culture is null ? null : CultureInfo.ReadOnly(Culture),
                Columns = Columns ?? ColumnMap.Default,
                MaxRecordSize = MaxRecordSize,
                ParseAhead = ParseAhead,
            };
        }
    }
}
