using System;
using System.Globalization;
using System.Text;
using AnomalyTools.Values;

namespace AnomalyTools.Sinks.Formats
{
    /// <summary>
    /// One JSON object a line; the amount is a JSON number with the exact decimal digits. The attributes' names are
    /// unique, ignoring case (as PowerShell's <c>ConvertFrom-Json</c> needs them), renamed as the importer does. Strings
    /// are escaped as <see cref="LineEscaping"/> says, so no value can end the line or the object. A sink that sends one
    /// object a message (an alert topic) takes <see cref="FormatObject"/>: the line without its <c>\n</c>.
    /// </summary>
    internal sealed class JsonLinesRecordFormatter : RecordFormatter
    {
        private readonly AttributeNames _attributeNames = new AttributeNames(Array.Empty<string>());

        public override void AppendRecord(StringBuilder output, Transaction record)
        {
            AppendObject(output, record);
            output.Append('\n');
        }

        /// <summary>
        /// The JSON object of <paramref name="record"/> in UTF-8, the bytes of its line in a JsonLines part without the
        /// <c>\n</c>; a lone surrogate, which UTF-8 cannot hold, is U+FFFD there as here.
        /// </summary>
        public byte[] FormatObject(Transaction record)
        {
            var output = new StringBuilder();
            AppendObject(output, record);
            return Encoding.UTF8.GetBytes(output.ToString());
        }

        /// <summary>Appends the JSON object of <paramref name="record"/>: its line in a JsonLines part without the <c>\n</c>.</summary>
        public void AppendObject(StringBuilder output, Transaction record)
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
            output.Append(",\"lineNumber\":").Append(record.LineNumber.ToString(CultureInfo.InvariantCulture)).Append('}');
        }

        private static void AppendString(StringBuilder output, string value)
        {
            output.Append('"');
            LineEscaping.Append(output, value, '"');
            output.Append('"');
        }
    }
}
