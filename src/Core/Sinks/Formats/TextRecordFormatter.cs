using System.Text;
using AnomalyTools.Values;

namespace AnomalyTools.Sinks.Formats
{
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
}
