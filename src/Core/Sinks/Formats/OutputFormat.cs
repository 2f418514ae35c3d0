namespace AnomalyTools.Sinks.Formats
{
    /// <summary>How part files hold their records. Every format is UTF-8 without a byte order mark, with <c>\n</c> line ends.</summary>
    public enum OutputFormat
    {
        /// <summary>The exercise's lines, <c>1002, C012, 9582.15</c>.</summary>
        Text,

        /// <summary>RFC 4180 CSV with a header: every column and the findings, spreadsheet formulas neutralized.</summary>
        Csv,

        /// <summary>One JSON object a line, with the attributes and the findings.</summary>
        JsonLines,
    }
}
