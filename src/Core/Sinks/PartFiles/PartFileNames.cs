using System.Globalization;
using System.Text.RegularExpressions;

namespace AnomalyTools.Sinks.PartFiles
{
    /// <summary>
    /// The names of part files, as Flink's FileSink gives them: <c>part-&lt;subtask&gt;-&lt;counter&gt;</c> when
    /// committed, the hidden <c>.part-&lt;subtask&gt;-&lt;counter&gt;.inprogress</c> while written. The counter
    /// has at least five digits.
    /// </summary>
    public static class PartFileNames
    {
        private static readonly Regex s_pattern = new Regex(
            @"^(?<hidden>\.)?part-(?<subtask>\d+)-(?<counter>\d{5,})(?<inprogress>\.inprogress)?$",
            RegexOptions.CultureInvariant);

        /// <summary>The name of a committed part.</summary>
        public static string Committed(int subtask, long counter) =>
            string.Format(CultureInfo.InvariantCulture, "part-{0}-{1:D5}", subtask, counter);

        /// <summary>The name of a part while it is written.</summary>
        public static string InProgress(int subtask, long counter) => "." + Committed(subtask, counter) + ".inprogress";

        /// <summary>Reads the subtask and counter of a committed or in-progress part's name.</summary>
        public static bool TryParse(string fileName, out int subtask, out long counter, out bool inProgress)
        {
            var match = s_pattern.Match(fileName);
            var hidden = match.Groups["hidden"].Success;
            inProgress = match.Groups["inprogress"].Success;
            subtask = 0;
            counter = 0;
            return match.Success
                && hidden == inProgress
                && int.TryParse(match.Groups["subtask"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out subtask)
                && long.TryParse(match.Groups["counter"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out counter);
        }
    }
}
