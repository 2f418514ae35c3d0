using System;
using System.Globalization;
using System.Text;

namespace AnomalyTools.Sink
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
    /// <c>Findings</c>, <c>Source</c> and <c>LineNumber</c>. Each part has its header; a record whose attribute
    /// columns differ from those of the part starts a new part. Text that a spreadsheet would run as a formula
    /// (starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return) is prefixed with <c>'</c>,
    /// as OWASP recommends, unless neutralizing is turned off.
    /// </summary>
    internal sealed class CsvRecordFormatter : RecordFormatter
    {
        private readonly bool _neutralizeFormulas;

        public CsvRecordFormatter(bool neutralizeFormulas)
        {
            _neutralizeFormulas = neutralizeFormulas;
        }

        public override bool NeedsNewPart(Transaction firstOfPart, Transaction record) =>
            !firstOfPart.Attributes.Schema.HasSameNames(record.Attributes.Schema);

        public override void AppendPartHeader(StringBuilder output, Transaction first)
        {
            output.Append("TransactionId,CustomerId,Amount,Timestamp");
            foreach (var name in first.Attributes.Schema.Names)
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
            var needsQuotes = value.IndexOfAny(new[] { ',', '"', '\r', '\n' }) >= 0
                || (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[value.Length - 1])));
            if (!needsQuotes)
            {
                output.Append(value);
                return;
            }
            output.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
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

    /// <summary>One JSON object a line; the amount is a JSON number with the exact decimal digits.</summary>
    internal sealed class JsonLinesRecordFormatter : RecordFormatter
    {
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
            for (var i = 0; i < record.Attributes.Count; i++)
            {
                if (i > 0) output.Append(',');
                AppendString(output, record.Attributes.Schema.Names[i]);
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
