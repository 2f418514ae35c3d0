using System;
using System.Globalization;
using System.Text;
using AnomalyTools.Values;

namespace AnomalyTools.Sources
{
    /// <summary>
    /// What can be wrong with the input. Each name is a stable error id (PowerShell's FullyQualifiedErrorId) and
    /// the key of its message: never renamed once released.
    /// </summary>
    public enum ImportErrorId
    {
        /// <summary>A required value (transaction id, customer id, amount) is empty.</summary>
        MissingRequiredValue,

        /// <summary>The amount is not a decimal number.</summary>
        InvalidAmount,

        /// <summary>The timestamp is neither ISO 8601 nor Unix epoch seconds.</summary>
        InvalidTimestamp,

        /// <summary>A record has more or fewer fields than the header.</summary>
        FieldCountMismatch,

        /// <summary>A record breaks the CSV quoting rules; a header that does, skips the file.</summary>
        MalformedCsv,

        /// <summary>The header has no column for a required field: the whole file is skipped.</summary>
        MissingRequiredColumn,

        /// <summary>A warning: the header names a column twice, and the later one was renamed.</summary>
        DuplicateColumnName,

        /// <summary>A record holds bytes that are not UTF-8.</summary>
        InvalidEncoding,

        /// <summary>A record is longer than the size limit: it is skipped; a header that is, skips the file.</summary>
        RecordTooLarge,

        /// <summary>The file is in an encoding that cannot be read, such as UTF-16 without a byte order mark: the whole file is skipped.</summary>
        UnsupportedEncoding,

        /// <summary>
        /// A warning: two columns of the header match the same field (<c>transaction_id</c> and <c>Transaction ID</c>);
        /// the first is read, the other kept as an attribute.
        /// </summary>
        AmbiguousColumn,

        /// <summary>A Kafka message's value is not a JSON object (not JSON at all, another JSON value, or no value).</summary>
        MessageNotJsonObject,
    }

    /// <summary>
    /// A record or file that could not be read, with where it is and what was expected; or, when
    /// <see cref="IsWarning"/>, something that was read with a change the user should know about.
    /// </summary>
    public sealed class ImportError
    {
        private const int MaxValueLength = 64;

        private readonly bool _skipsFile;
        private readonly bool _isMessage;

        private ImportError(ImportErrorId id, string source, long lineNumber, string message, string? rawRecord = null, bool skipsFile = false, bool isMessage = false)
        {
            _isMessage = isMessage;
            Id = id;
            Source = source;
            LineNumber = lineNumber;
            Message = message;
            RawRecord = rawRecord;
            _skipsFile = skipsFile;
        }

        /// <summary>The stable error id.</summary>
        public ImportErrorId Id { get; }

        /// <summary>The file (or other source) with the problem.</summary>
        public string Source { get; }

        /// <summary>The 1-based line where the record starts, or 0 for a problem with the whole file.</summary>
        public long LineNumber { get; }

        /// <summary>What was wrong, where, and what was expected, in the current culture.</summary>
        public string Message { get; }

        /// <summary>The record as it is in the input, without its line break, when the problem is with one record; else null.</summary>
        public string? RawRecord { get; }

        /// <summary>Whether the whole file is skipped, from here on.</summary>
        public bool SkipsFile => _skipsFile || (LineNumber == 0 && !IsWarning && !_isMessage);

        /// <summary>Whether this is a warning: nothing was skipped.</summary>
        public bool IsWarning => Id == ImportErrorId.DuplicateColumnName || Id == ImportErrorId.AmbiguousColumn;

        /// <summary>Where the problem is: <c>file:line</c>, or the file alone.</summary>
        public string Location => LineNumber > 0 ? Source + ":" + LineNumber.ToString(CultureInfo.InvariantCulture) : Source;

        /// <inheritdoc />
        public override string ToString() => Message;

        internal static ImportError MissingRequiredValue(string source, long line, string column) =>
            Create(ImportErrorId.MissingRequiredValue, source, line, ErrorMessages.MissingRequiredValue, column);

        internal static ImportError InvalidAmount(string source, long line, string column, string value, CultureInfo? culture, AmountProblem problem)
        {
            var format = TransactionValues.IsInvariant(culture) ? NumberFormatInfo.InvariantInfo : culture!.NumberFormat;
            var cultureName = TransactionValues.IsInvariant(culture) ? "invariant" : culture!.Name;
            var reason = problem switch
            {
                AmountProblem.MisplacedGroupSeparator => string.Format(CultureInfo.CurrentCulture, ErrorMessages.AmountMisplacedGroupSeparator,
                    Quote(format.NumberGroupSeparator), cultureName, TransactionValues.AmountExample(1234567.89m, culture, grouped: true)),
                AmountProblem.TooManyDigits => ErrorMessages.AmountTooManyDigits,
                AmountProblem.OutOfRange => ErrorMessages.AmountOutOfRange,
                _ => ErrorMessages.AmountNotANumber,
            };
            var expected = TransactionValues.IsInvariant(culture)
                ? ErrorMessages.AmountExpectedInvariant
                : string.Format(CultureInfo.CurrentCulture, ErrorMessages.AmountExpectedCulture, Quote(format.NumberDecimalSeparator), cultureName,
                    TransactionValues.AmountExample(9582.15m, culture, grouped: false), TransactionValues.AmountExample(1234567.89m, culture, grouped: true));
            return Create(ImportErrorId.InvalidAmount, source, line, ErrorMessages.InvalidAmount, column, Quote(value), reason, expected);
        }

        internal static ImportError InvalidTimestamp(string source, long line, string column, string value) =>
            Create(ImportErrorId.InvalidTimestamp, source, line, ErrorMessages.InvalidTimestamp, column, Quote(value));

        internal static ImportError FieldCountMismatch(string source, long line, int expected) =>
            Create(ImportErrorId.FieldCountMismatch, source, line, ErrorMessages.FieldCountMismatch, expected);

        internal static ImportError MalformedCsv(string source, long line, string reason, string rawRecord) =>
            Create(ImportErrorId.MalformedCsv, source, line, ErrorMessages.MalformedCsv, reason, Quote(rawRecord));

        internal static ImportError DuplicateColumnName(string source, string column, int position, string newName) =>
            Create(ImportErrorId.DuplicateColumnName, source, 0, ErrorMessages.DuplicateColumnName, column, position, newName);

        internal static ImportError AmbiguousColumn(string source, string field, string column, int position, string other, int otherPosition) =>
            Create(ImportErrorId.AmbiguousColumn, source, 0, ErrorMessages.AmbiguousColumn, field, column, position, other, otherPosition);

        internal static ImportError DuplicateColumnNamesMore(string source, int more, int lastPosition, string lastNewName) =>
            Create(ImportErrorId.DuplicateColumnName, source, 0, ErrorMessages.DuplicateColumnNamesMore, more, lastPosition, lastNewName);

        internal static ImportError MessageNotJsonObject(string position, string reason) =>
            Create(ImportErrorId.MessageNotJsonObject, position, 0, ErrorMessages.MessageNotJsonObject, reason).AboutMessage(position, position);

        /// <summary>
        /// This error, about the one Kafka message at <paramref name="position"/> (<c>topic/partition@offset</c>) rather than
        /// a file: it is reported where <paramref name="location"/> was, and skips that message alone.
        /// </summary>
        internal ImportError AboutMessage(string position, string location)
        {
            var message = Message.StartsWith(location, StringComparison.Ordinal) ? position + Message.Substring(location.Length) : Message;
            return new ImportError(Id, position, 0, message, RawRecord, skipsFile: false, isMessage: true);
        }

        /// <summary>This error, with the record it is about.</summary>
        internal ImportError WithRecord(string rawRecord) => new ImportError(Id, Source, LineNumber, Message, rawRecord, _skipsFile, _isMessage);

        // An error in the header at a line of its own: nothing after it can be read.
        private ImportError SkippingFile() => new ImportError(Id, Source, LineNumber, Message, RawRecord, skipsFile: true, _isMessage);

        internal static ImportError MalformedCsvHeader(string source, long line, string reason, string rawRecord) =>
            Create(ImportErrorId.MalformedCsv, source, line, ErrorMessages.MalformedCsvHeader, reason, Quote(rawRecord)).WithRecord(rawRecord).SkippingFile();

        internal static ImportError MalformedCsvUnreadable(string source, long line, string reason, long lastLineSkipped) =>
            Create(ImportErrorId.MalformedCsv, source, line, ErrorMessages.MalformedCsvUnreadable, reason, lastLineSkipped);

        internal static ImportError RecordTooLargeHeader(string source, long line, int limit) =>
            Create(ImportErrorId.RecordTooLarge, source, line, ErrorMessages.RecordTooLargeHeader, limit).SkippingFile();

        internal static ImportError InvalidEncoding(string source, long line, string rawRecord) =>
            Create(ImportErrorId.InvalidEncoding, source, line, ErrorMessages.InvalidEncoding, Quote(rawRecord));

        internal static ImportError RecordTooLarge(string source, long line, int limit, long linesSkipped) =>
            Create(ImportErrorId.RecordTooLarge, source, line, linesSkipped > 0 ? ErrorMessages.RecordTooLarge : ErrorMessages.RecordTooLargeRestSkipped,
                limit, linesSkipped);

        internal static ImportError UnsupportedEncoding(string source) =>
            Create(ImportErrorId.UnsupportedEncoding, source, 0, ErrorMessages.UnsupportedEncoding);

        internal static ImportError MissingRequiredColumn(string source, string missingColumns, string foundColumns) =>
            Create(ImportErrorId.MissingRequiredColumn, source, 0, ErrorMessages.MissingRequiredColumn, missingColumns, foundColumns);

        private static ImportError Create(ImportErrorId id, string source, long line, string format, params object[] details)
        {
            var arguments = new object[details.Length + 1];
            arguments[0] = line > 0 ? source + ":" + line.ToString(CultureInfo.InvariantCulture) : source;
            Array.Copy(details, 0, arguments, 1, details.Length);
            return new ImportError(id, source, line, string.Format(CultureInfo.CurrentCulture, format, arguments));
        }

        /// <summary>A value as a message shows it: quoted, control characters escaped, long values cut.</summary>
        internal static string Quote(string value)
        {
            var builder = new StringBuilder("'");
            LineEscaping.Append(builder, value.Length > MaxValueLength ? value.Substring(0, MaxValueLength) : value, '\'');
            builder.Append('\'');
            if (value.Length > MaxValueLength)
            {
                builder.Append(" (").Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(" characters)");
            }
            return builder.ToString();
        }
    }
}
