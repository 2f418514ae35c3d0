using System;
using System.IO;

namespace AnomalyTools.Platform
{
    /// <summary>How full paths of files compare: ignoring case where the file system usually does (Windows).</summary>
    internal static class FilePaths
    {
        public static StringComparer Comparer { get; } =
            Path.DirectorySeparatorChar == '\\' ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
    }
}
