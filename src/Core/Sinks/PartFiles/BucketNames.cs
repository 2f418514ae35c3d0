using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace AnomalyTools.Sinks.PartFiles
{
    /// <summary>The names of time-bucketed subfolders: a UTC time formatted with a .NET date and time format.</summary>
    public static class BucketNames
    {
        /// <summary>The format by default, as Flink's: <c>2024-03-01--08</c>, one folder per hour.</summary>
        public const string DefaultFormat = "yyyy-MM-dd--HH";

        private static readonly DateTime s_sample = new DateTime(2024, 12, 31, 23, 59, 58, DateTimeKind.Utc);

        /// <summary>The bucket of <paramref name="utcTime"/>.</summary>
        public static string Format(DateTime utcTime, string format) => utcTime.ToString(format, CultureInfo.InvariantCulture);

        /// <summary>
        /// Whether <paramref name="format"/> makes a usable folder name: a single name that is not empty, hidden (a leading
        /// dot or underscore, as the checkpoints' folder is), and that holds no character a file name cannot.
        /// </summary>
        public static bool IsValid(string format)
        {
            if (string.IsNullOrWhiteSpace(format)) return false;
            string name;
            try
            {
                name = Format(s_sample, format);
            }
            catch (FormatException)
            {
                return false;
            }
            return name.Trim().Length > 0
                && name[0] != '.' && name[0] != '_'
                && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0
                && name.IndexOfAny(new[] { '/', '\\', ':', '*', '?', '"', '<', '>', '|' }) < 0
                && !name.Any(char.IsControl);
        }
    }
}
