using System;
using System.Globalization;

namespace AnomalyTools
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

        /// <summary>
        /// How many threads parse records while the caller takes the results; 0 parses on the caller's thread. By default
        /// one fewer than the processors (at least one): the caller's thread has work of its own, such as a PowerShell
        /// pipeline's.
        /// </summary>
        public int ParsingThreads { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);
    }
}
