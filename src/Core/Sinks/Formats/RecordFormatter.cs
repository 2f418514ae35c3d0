using System;
using System.Globalization;
using System.Text;

namespace AnomalyTools.Sinks.Formats
{
    /// <summary>
    /// Turns transactions into the text of one <see cref="OutputFormat"/>, one record a line. A record's line needs no
    /// part, so any sink can write it; what a part starts with and when a record needs a new part are for the part-file
    /// sink to ask.
    /// </summary>
    internal abstract class RecordFormatter
    {
        internal const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz";

        public static RecordFormatter Create(OutputFormat format, bool neutralizeFormulas) => format switch
        {
            OutputFormat.Text => new TextRecordFormatter(),
            OutputFormat.Csv => new CsvRecordFormatter(neutralizeFormulas),
            OutputFormat.JsonLines => new JsonLinesRecordFormatter(),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };

        /// <summary>Whether <paramref name="record"/> cannot share a part with <paramref name="firstOfPart"/> (a CSV header that would change).</summary>
        public virtual bool NeedsNewPart(Transaction firstOfPart, Transaction record) => false;

        /// <summary>Appends what a part starts with, given its first record.</summary>
        public virtual void AppendPartHeader(StringBuilder output, Transaction first)
        {
        }

        /// <summary>Appends one record and its line end.</summary>
        public abstract void AppendRecord(StringBuilder output, Transaction record);

        protected static string FormatAmount(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);

        protected static string? FormatTimestamp(DateTimeOffset? timestamp) =>
            timestamp?.ToString(TimestampFormat, CultureInfo.InvariantCulture);
    }
}
