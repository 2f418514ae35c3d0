using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using AnomalyTools.Sources;
using AnomalyTools.Values;

namespace AnomalyTools.Sinks.Formats
{
    /// <summary>Turns transactions into the text of one <see cref="OutputFormat"/>, one record a line.</summary>
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

    /// <summary>
    /// The attribute names a format writes for a schema: unique, ignoring case, among themselves and with the format's
    /// own names, renamed as the importer renames a column named twice (<c>Source_2</c>). Records of one source share
    /// their schema, so the names are worked out once for a run of records.
    /// </summary>
    internal sealed class AttributeNames
    {
        private readonly IReadOnlyCollection<string> _reserved;
        private Entry? _last;

        public AttributeNames(IReadOnlyCollection<string> reserved)
        {
            _reserved = reserved;
        }

        public IReadOnlyList<string> Of(AttributeSchema schema)
        {
            var last = _last;
            if (last != null && ReferenceEquals(last.Schema, schema)) return last.Names;
            var names = ColumnMap.MakeUnique(schema.Names, _reserved);
            _last = new Entry(schema, names);
            return names;
        }

        private sealed class Entry
        {
            public Entry(AttributeSchema schema, IReadOnlyList<string> names)
            {
                Schema = schema;
                Names = names;
            }

            public AttributeSchema Schema { get; }

            public IReadOnlyList<string> Names { get; }
        }
    }

    /// <summary>
    /// The exercise's format: <c>transaction_id, customer_id, amount</c>. Ids are escaped as <see cref="LineEscaping"/>
    /// says, so that no id can forge a second line.
    /// </summary>
    internal sealed class TextRecordFormatter : RecordFormatter
    {
        public static string FormatLine(Transaction record)
        {
            var builder = new StringBuilder();
            AppendLine(builder, record);
            return builder.ToString();
        }

        public override void AppendRecord(StringBuilder output, Transaction record)
        {
            AppendLine(output, record);
            output.Append('\n');
        }

        private static void AppendLine(StringBuilder output, Transaction record)
        {
            LineEscaping.Append(output, record.TransactionId);
            output.Append(", ");
            LineEscaping.Append(output, record.CustomerId);
            output.Append(", ").Append(FormatAmount(record.Amount));
        }
    }

    /// <summary>
    /// RFC 4180 CSV: <c>TransactionId,CustomerId,Amount,Timestamp</c>, the attribute columns, then <c>Rules</c>,
    /// <c>Findings</c>, <c>Source</c> and <c>LineNumber</c>. Each part has its header, whose names are unique (an
    /// attribute named like another column is renamed, <c>Source_2</c>); a record whose attribute columns differ from
    /// those of the part starts a new part. A field is quoted when it holds the delimiter, a quote or any control
    /// character (NUL, ESC and BEL as much as a line break), or starts or ends with white space. Text that a
    /// spreadsheet would run as a formula (starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage
    /// return) is prefixed with <c>'</c>, as OWASP recommends, unless neutralizing is turned off.
    /// </summary>
    internal sealed class CsvRecordFormatter : RecordFormatter
    {
        private static readonly string[] s_ownColumns =
            { "TransactionId", "CustomerId", "Amount", "Timestamp", "Rules", "Findings", "Source", "LineNumber" };

        private readonly bool _neutralizeFormulas;
        private readonly AttributeNames _attributeNames = new AttributeNames(s_ownColumns);

        public CsvRecordFormatter(bool neutralizeFormulas)
        {
            _neutralizeFormulas = neutralizeFormulas;
        }

        public override bool NeedsNewPart(Transaction firstOfPart, Transaction record) =>
            !firstOfPart.Attributes.Schema.HasSameNames(record.Attributes.Schema);

        public override void AppendPartHeader(StringBuilder output, Transaction first)
        {
            output.Append("TransactionId,CustomerId,Amount,Timestamp");
            foreach (var name in _attributeNames.Of(first.Attributes.Schema))
            {
                output.Append(',');
                AppendText(output, name);
            }
            output.Append(",Rules,Findings,Source,LineNumber\n");
        }

        public override void AppendRecord(StringBuilder output, Transaction record)
        {
            AppendText(output, record.TransactionId);
            output.Append(',');
            AppendText(output, record.CustomerId);
            output.Append(',').Append(FormatAmount(record.Amount)).Append(',');
            output.Append(FormatTimestamp(record.Timestamp));
            for (var i = 0; i < record.Attributes.Count; i++)
            {
                output.Append(',');
                AppendText(output, record.Attributes.ValueAt(i));
            }
            output.Append(',');
            AppendText(output, JoinFindings(record, finding => finding.Rule, ";"));
            output.Append(',');
            AppendText(output, JoinFindings(record, finding => finding.Message, "; "));
            output.Append(',');
            AppendText(output, record.Source ?? string.Empty);
            output.Append(',').Append(record.LineNumber.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        /// <summary>Whether a spreadsheet would read <paramref name="value"/> as a formula.</summary>
        internal static bool LooksLikeFormula(string value) =>
            value.Length > 0 && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' || value[0] == '\t' || value[0] == '\r');

        private void AppendText(StringBuilder output, string value) => AppendField(output, value, _neutralizeFormulas);

        /// <summary>Appends <paramref name="value"/> as an RFC 4180 field, quoted when it must be, a formula neutralized when asked.</summary>
        internal static void AppendField(StringBuilder output, string value, bool neutralizeFormulas)
        {
            if (neutralizeFormulas && LooksLikeFormula(value)) value = "'" + value;
            if (!NeedsQuotes(value))
            {
                output.Append(value);
                return;
            }
            output.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
        }

        /// <summary>
        /// Whether <paramref name="value"/> must be quoted: it holds the delimiter, a quote, a control character or a
        /// Unicode line separator (a reader may take any of them for the end of a field, a record or the input), or
        /// starts or ends with white space (which readers trim).
        /// </summary>
        private static bool NeedsQuotes(string value)
        {
            if (value.Length == 0) return false;
            if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[value.Length - 1])) return true;
            foreach (var c in value)
            {
                if (c == ',' || c == '"' || char.IsControl(c) || c == '\u2028' || c == '\u2029') return true;
            }
            return false;
        }

        private static string JoinFindings(Transaction record, Func<Finding, string> part, string separator)
        {
            var builder = new StringBuilder();
            foreach (var finding in record.Findings)
            {
                if (builder.Length > 0) builder.Append(separator);
                builder.Append(part(finding));
            }
            return builder.ToString();
        }
    }

    /// <summary>
    /// One JSON object a line; the amount is a JSON number with the exact decimal digits. The attributes' names are
    /// unique, ignoring case (as PowerShell's <c>ConvertFrom-Json</c> needs them), renamed as the importer does.
    /// </summary>
    internal sealed class JsonLinesRecordFormatter : RecordFormatter
    {
        private readonly AttributeNames _attributeNames = new AttributeNames(Array.Empty<string>());

        public override void AppendRecord(StringBuilder output, Transaction record)
        {
            output.Append("{\"transactionId\":");
            AppendString(output, record.TransactionId);
            output.Append(",\"customerId\":");
            AppendString(output, record.CustomerId);
            output.Append(",\"amount\":").Append(FormatAmount(record.Amount));
            output.Append(",\"timestamp\":");
            var timestamp = FormatTimestamp(record.Timestamp);
            if (timestamp is null) output.Append("null");
            else AppendString(output, timestamp);
            output.Append(",\"attributes\":{");
            var names = _attributeNames.Of(record.Attributes.Schema);
            for (var i = 0; i < record.Attributes.Count; i++)
            {
                if (i > 0) output.Append(',');
                AppendString(output, names[i]);
                output.Append(':');
                AppendString(output, record.Attributes.ValueAt(i));
            }
            output.Append("},\"findings\":[");
            for (var i = 0; i < record.Findings.Count; i++)
            {
                var finding = record.Findings[i];
                if (i > 0) output.Append(',');
                output.Append("{\"rule\":");
                AppendString(output, finding.Rule);
                output.Append(",\"message\":");
                AppendString(output, finding.Message);
                output.Append(",\"value\":").Append(FormatAmount(finding.Value));
                output.Append(",\"limit\":").Append(FormatAmount(finding.Limit));
                output.Append(",\"settings\":{");
                var first = true;
                foreach (var setting in finding.Settings)
                {
                    if (!first) output.Append(',');
                    first = false;
                    AppendString(output, setting.Key);
                    output.Append(':');
                    AppendString(output, setting.Value);
                }
                output.Append("},\"baseline\":");
                if (finding.Baseline is CustomerBaseline baseline)
                {
                    output.Append("{\"count\":").Append(baseline.Count.ToString(CultureInfo.InvariantCulture))
                        .Append(",\"mean\":").Append(baseline.Mean.ToString("R", CultureInfo.InvariantCulture))
                        .Append(",\"standardDeviation\":").Append(baseline.StandardDeviation.ToString("R", CultureInfo.InvariantCulture)).Append('}');
                }
                else
                {
                    output.Append("null");
                }
                output.Append('}');
            }
            output.Append("],\"source\":");
            if (record.Source is null) output.Append("null");
            else AppendString(output, record.Source);
            output.Append(",\"lineNumber\":").Append(record.LineNumber.ToString(CultureInfo.InvariantCulture)).Append("}\n");
        }

        private static void AppendString(StringBuilder output, string value)
        {
            output.Append('"');
            LineEscaping.Append(output, value, '"');
            output.Append('"');
        }
    }
}
