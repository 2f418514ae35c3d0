using System;
using System.IO;

namespace AnomalyTools.Sources.Files
{
    /// <summary>
    /// An input file as its reader saw it: its path and the first bytes it read from it. Each transaction read from the
    /// file carries it to the sink, whose checkpoint then names the file the committed rows were read from, not whatever
    /// file the path names by the time the part commits (a feed rotated meanwhile).
    /// </summary>
    public sealed class InputFile
    {
        private readonly byte[] _start;

        /// <summary>The file at <paramref name="path"/>, which starts with <paramref name="start"/> (its first bytes read).</summary>
        public InputFile(string path, ReadOnlySpan<byte> start)
        {
            if (string.IsNullOrEmpty(path)) throw new ArgumentException("A path is required.", nameof(path));
            Path = path;
            _start = start.Slice(0, Math.Min(start.Length, FileFingerprint.MaxLength)).ToArray();
            Fingerprint = FileFingerprint.Of(_start);
        }

        /// <summary>
        /// Reads the first bytes of <paramref name="stream"/>, the open file at <paramref name="path"/>, and puts it back
        /// where it was, so that the bytes fingerprinted are the ones its reader reads.
        /// </summary>
        /// <exception cref="IOException">The file cannot be read.</exception>
        /// <exception cref="NotSupportedException">The stream cannot seek.</exception>
        public static InputFile Read(Stream stream, string path)
        {
            if (stream is null) throw new ArgumentNullException(nameof(stream));
            var position = stream.Position;
            var start = StreamStart.Read(stream, FileFingerprint.MaxLength);
            stream.Position = position;
            return new InputFile(path, start);
        }

        /// <summary>The file's full path, as its transactions give it in <see cref="Transaction.Source"/>.</summary>
        public string Path { get; }

        /// <summary>The fingerprint of the first bytes read (up to <see cref="FileFingerprint.MaxLength"/>).</summary>
        public FileFingerprint Fingerprint { get; }

        /// <summary>Whether this file starts with the bytes <paramref name="fingerprint"/> was taken of.</summary>
        public bool Matches(FileFingerprint fingerprint) => fingerprint.Matches(_start);
    }
}
