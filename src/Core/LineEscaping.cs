using System.Globalization;
using System.Text;

namespace AnomalyTools
{
    /// <summary>
    /// Escapes a value so that it stays on one line and reads back unambiguously, with JSON's escapes: a backslash,
    /// the quote character given, line breaks, tabs, other control characters and the Unicode line and paragraph
    /// separators (which some readers take for line ends). Used wherever a value is written into a line: text
    /// output, JSON strings, error messages.
    /// </summary>
    internal static class LineEscaping
    {
        public static void Append(StringBuilder output, string value, char? quote = null)
        {
            foreach (var c in value)
            {
                switch (c)
                {
                    case '\\': output.Append("\\\\"); break;
                    case '\n': output.Append("\\n"); break;
                    case '\r': output.Append("\\r"); break;
                    case '\t': output.Append("\\t"); break;
                    default:
                        if (c == quote) output.Append('\\').Append(c);
                        else if (char.IsControl(c) || c == '\u2028' || c == '\u2029') output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else output.Append(c);
                        break;
                }
            }
        }
    }
}
