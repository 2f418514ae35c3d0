using System;
using System.Globalization;
using System.Text;
using AnomalyTools.Sources.Files;

namespace AnomalyTools.Checkpoints
{
    /// <summary>
    /// How far the committed output covers one input file: every record that starts on <see cref="Line"/> or before
    /// was either committed or judged not suspicious, so a resumed run skips them, as long as the file still starts
    /// with the bytes of <see cref="Fingerprint"/>.
    /// </summary>
    public sealed class FilePosition : SourcePosition
    {
        internal const string JournalTag = "input";

        /// <summary>Creates a position.</summary>
        public FilePosition(string path, long line, FileFingerprint fingerprint)
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

        /// <summary>The file's full path.</summary>
        public override string InputKey => Path;

        /// <inheritdoc />
        public override bool IsLaterThan(SourcePosition other)
        {
            ThrowIfOtherInput(other);
            return Line > ((FilePosition)other).Line;
        }

        // input<TAB>line<TAB>fingerprint length<TAB>fingerprint hash or -<TAB>escaped path: the first format's line, unchanged.
        internal override void AppendJournalLine(StringBuilder text) =>
            text.Append(JournalTag).Append('\t')
                .Append(Line.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(Fingerprint.Length.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(Fingerprint.Length == 0 ? "-" : Fingerprint.Hash).Append('\t')
                .Append(Uri.EscapeDataString(Path)).Append('\n');

        internal static FilePosition? Parse(string[] fields)
        {
            if (fields.Length != 5 || fields[4].Length == 0
                || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var line) || line < 1
                || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > FileFingerprint.MaxLength)
            {
                return null;
            }
            var fingerprint = length == 0 ? default : new FileFingerprint(length, fields[3]);
            return new FilePosition(Uri.UnescapeDataString(fields[4]), line, fingerprint);
        }
    }
}
