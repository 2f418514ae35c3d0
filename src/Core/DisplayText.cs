using System.Text;
using AnomalyTools.Values;

namespace AnomalyTools
{
    /// <summary>
    /// Text as the module's table and list views show it. Data can hold control characters that a terminal obeys
    /// (clear the screen, move the cursor, set the title, ring the bell) and bidirectional overrides that reorder
    /// what follows, so a view shows them escaped, as <c>\u001b</c>, <c>\n</c> or <c>\u202e</c>, the way error
    /// messages do; the objects keep the raw values.
    /// </summary>
    public static class DisplayText
    {
        /// <summary>
        /// <paramref name="value"/> with every control, line-separator and bidirectional formatting character escaped;
        /// the same string when it holds none, and an empty one for null.
        /// </summary>
        /// <remarks>
        /// A backslash is not doubled: a view is read, not parsed back, and Windows paths should look like paths.
        /// </remarks>
        public static string Escape(string? value)
        {
            if (value is null) return string.Empty;
            var first = LineEscaping.IndexOfMustEscape(value);
            if (first < 0) return value;
            var builder = new StringBuilder(value.Length + 16);
            builder.Append(value, 0, first);
            LineEscaping.Append(builder, value.Substring(first), null, escapeBackslash: false);
            return builder.ToString();
        }
    }
}
