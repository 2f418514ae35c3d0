using System;
using System.IO;
using AnomalyTools.Following;

namespace AnomalyTools
{
    /// <summary>
    /// Finds the end of a CSV record in a stream without holding it, however long it is: how a record over the size limit
    /// is stepped over in constant memory.
    /// </summary>
    internal static class RecordSkipper
    {
        private const int BlockSize = 64 * 1024;

        /// <summary>
        /// Reads from the position of <paramref name="stream"/>, which must be where a record starts, to the end of that
        /// record, and leaves the stream just after it. False when the input ends inside the record. The record's fields
        /// are separated by <paramref name="delimiter"/>; <paramref name="lines"/> gives the line ends it spans, its own
        /// included.
        /// </summary>
        public static bool TrySkip(Stream stream, char delimiter, out long lines)
        {
            var start = stream.Position;
            var scanner = new RecordBoundaryScanner(delimiter, unitWidth: 1, bigEndian: false, start: 0);
            var buffer = new byte[BlockSize];
            var blockStart = start;
            lines = 0;
            while (true)
            {
                var read = stream.Read(buffer, 0, buffer.Length);
                if (read == 0) return false;
                if (scanner.Scan(buffer, read, stopAfterFirstRecord: true))
                {
                    lines = scanner.LinesToBoundary;
                    stream.Position = blockStart + scanner.Boundary;
                    return true;
                }
                scanner.Shift(read);
                blockStart += read;
            }
        }
    }

    /// <summary>A UTF-8 file's first bytes up to the end of its header record (a byte order mark and blank lines included).</summary>
    internal sealed class FileHeader
    {
        private FileHeader(byte[] bytes, int lines)
        {
            Bytes = bytes;
            Lines = lines;
        }

        /// <summary>The bytes, to put before the rest of the file when reading starts again further on.</summary>
        public byte[] Bytes { get; }

        /// <summary>The lines they hold.</summary>
        public int Lines { get; }

        /// <summary>The header of the UTF-8 input that starts at <paramref name="start"/>; null for UTF-16 input or no header.</summary>
        public static FileHeader? Read(Stream stream, long start, char delimiter)
        {
            stream.Position = start;
            var buffer = new byte[64 * 1024];
            var length = 0;
            RecordBoundaryScanner? scanner = null;
            while (true)
            {
                if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var read = stream.Read(buffer, length, buffer.Length - length);
                if (read == 0) return null;
                length += read;
                if (scanner is null)
                {
                    if (!RecordBoundaryScanner.TryCreateForInput(buffer, length, delimiter, out scanner)) continue;
                    if (scanner!.IsUtf16) return null;
                }
                if (scanner.Scan(buffer, length, stopAfterFirstRecord: true))
                {
                    var bytes = new byte[scanner.Boundary];
                    Array.Copy(buffer, bytes, bytes.Length);
                    return new FileHeader(bytes, scanner.LinesToBoundary);
                }
            }
        }
    }
}
