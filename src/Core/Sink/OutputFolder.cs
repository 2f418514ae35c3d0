using System;
using System.IO;
using System.Linq;

namespace AnomalyTools.Sink
{
    /// <summary>
    /// What the sink itself writes in an output folder: the parts, committed or in progress (also in bucket subfolders),
    /// and every entry whose name starts with <c>_</c> (the checkpoints, the writer's lock, the success marker).
    /// </summary>
    public static class OutputFolder
    {
        private static readonly char[] s_separators = { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar };

        // Full paths compare ignoring case where the file system usually does (Windows).
        private static StringComparison Comparison =>
            Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

        /// <summary>Whether <paramref name="path"/> is a part or an <c>_</c> entry that the sink writes into <paramref name="directory"/>.</summary>
        public static bool IsSinkEntry(string directory, string path)
        {
            if (directory is null) throw new ArgumentNullException(nameof(directory));
            if (path is null) throw new ArgumentNullException(nameof(path));
            var root = Normalize(directory) + Path.DirectorySeparatorChar;
            var full = Normalize(path);
            if (full.Length <= root.Length || !full.StartsWith(root, Comparison)) return false;
            var segments = full.Substring(root.Length).Split(s_separators, StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length == 0) return false;
            return segments.Any(segment => segment.StartsWith("_", StringComparison.Ordinal))
                || PartFileNames.TryParse(segments[segments.Length - 1], out _, out _, out _);
        }

        /// <summary>Whether two paths name the same folder, once made full.</summary>
        public static bool IsSame(string directory, string other)
        {
            if (directory is null) throw new ArgumentNullException(nameof(directory));
            if (other is null) throw new ArgumentNullException(nameof(other));
            return string.Equals(Normalize(directory), Normalize(other), Comparison);
        }

        private static string Normalize(string path) => Path.GetFullPath(path).TrimEnd(s_separators);
    }
}
