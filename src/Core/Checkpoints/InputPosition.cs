using System;
using AnomalyTools.Sources.Files;

namespace AnomalyTools.Checkpoints
{
    /// <summary>
    /// How far the committed output covers one input file: every record that starts on <see cref="Line"/> or before
    /// was either committed or judged not suspicious, so a resumed run skips them.
    /// </summary>
    public sealed class InputPosition
    {
        /// <summary>Creates a position.</summary>
        public InputPosition(string path, long line, FileFingerprint fingerprint)
        {
            if (string.IsNullOrEmpty(path)) throw new ArgumentException("A path is required.", nameof(path));
            if (line < 1) throw new ArgumentOutOfRangeException(nameof(line));
            Path = path;
            Line = line;
            Fingerprint = fingerprint;
        }

        /// <summary>The input file's full path, as its transactions give it in <see cref="Transaction.Source"/>.</summary>
        public string Path { get; }

        /// <summary>The line where the last committed record from the file starts.</summary>
        public long Line { get; }

        /// <summary>The file's first bytes when the position was recorded.</summary>
        public FileFingerprint Fingerprint { get; }
    }
}
