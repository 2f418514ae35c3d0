using System;
using System.Globalization;
using System.Text;

namespace AnomalyTools.Sinks.Formats
{
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
}
