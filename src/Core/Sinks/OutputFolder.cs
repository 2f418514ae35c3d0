using System;
using System.IO;
using System.Linq;
using AnomalyTools.Sinks.PartFiles;

namespace AnomalyTools.Sinks
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

        private static string Normalize(string path) => ResolveLinks(Path.GetFullPath(path), 0).TrimEnd(s_separators);

        // A folder reached through a symbolic link is the folder the link names: reading it through one name while
        // the sink writes it through another would feed the output back in all the same. So each existing component
        // of the path that is a link is replaced by its final target (Windows PowerShell's build compares names only).
        private static string ResolveLinks(string full, int depth)
        {
#if NET
            const int MaxLinks = 40;
            var root = Path.GetPathRoot(full) ?? string.Empty;
            var segments = full.Substring(root.Length).Split(s_separators, StringSplitOptions.RemoveEmptyEntries);
            var resolved = root;
            for (var i = 0; i < segments.Length; i++)
            {
                var next = Path.Combine(resolved, segments[i]);
                FileSystemInfo? target = null;
                try
                {
                    target = depth < MaxLinks ? new FileInfo(next).ResolveLinkTarget(returnFinalTarget: true) : null;
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
                if (target is null)
                {
                    resolved = next;
                    continue;
                }
                // The target's own parent folders may be links too: resolve its full path with the rest appended.
                var rest = string.Join(Path.DirectorySeparatorChar.ToString(), segments, i + 1, segments.Length - i - 1);
                return ResolveLinks(Path.GetFullPath(rest.Length == 0 ? target.FullName : Path.Combine(target.FullName, rest)), depth + 1);
            }
            return resolved;
#else
            _ = depth;
            return full;
#endif
        }
    }
}
