using System.Globalization;
using System.Text;

namespace AnomalyTools.Values
{
    /// <summary>
    /// Escapes a value so that it stays on one line and reads back unambiguously, with JSON's escapes: a backslash,
    /// the quote character given, line breaks, tabs, other control characters, the Unicode line and paragraph
    /// separators (which some readers take for line ends) and the bidirectional formatting characters (which reorder
    /// the text around them on a screen). Used wherever a value is written into a line: text output, JSON strings,
    /// error messages, and the views (<see cref="DisplayText"/>).
    /// </summary>
    internal static class LineEscaping
    {
        public static void Append(StringBuilder output, string value, char? quote = null) => Append(output, value, quote, escapeBackslash: true);

        public static void Append(StringBuilder output, string value, char? quote, bool escapeBackslash)
        {
            foreach (var c in value)
            {
                switch (c)
                {
                    case '\\' when escapeBackslash: output.Append("\\\\"); break;
                    case '\n': output.Append("\\n"); break;
                    case '\r': output.Append("\\r"); break;
                    case '\t': output.Append("\\t"); break;
                    default:
                        if (c == quote) output.Append('\\').Append(c);
                        else if (MustEscape(c)) output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else output.Append(c);
                        break;
                }
            }
        }

        /// <summary>
        /// Whether <paramref name="c"/> is always escaped: a control character (C0, DEL, C1), U+2028 or U+2029, or a
        /// bidirectional formatting character (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069).
        /// </summary>
        public static bool MustEscape(char c) =>
            char.IsControl(c) || c == '\u2028' || c == '\u2029' || IsBidirectionalFormatting(c);

        /// <summary>The position of the first character that <see cref="MustEscape"/>, or -1.</summary>
        public static int IndexOfMustEscape(string value)
        {
            for (var i = 0; i < value.Length; i++)
            {
                if (MustEscape(value[i])) return i;
            }
            return -1;
        }

        private static bool IsBidirectionalFormatting(char c) =>
            c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }
}
