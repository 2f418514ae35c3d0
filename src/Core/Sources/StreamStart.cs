using System;
using System.IO;

namespace AnomalyTools.Sources
{
    /// <summary>The first bytes of a stream, read whole: how files are recognised by how they begin.</summary>
    internal static class StreamStart
    {
        /// <summary>Reads up to <paramref name="count"/> bytes from the stream's position; fewer only when it ends first.</summary>
        public static byte[] Read(Stream stream, int count)
        {
            var bytes = new byte[count];
            var read = 0;
            while (read < count)
            {
                var n = stream.Read(bytes, read, count - read);
                if (n == 0) break;
                read += n;
            }
            if (read < count) Array.Resize(ref bytes, read);
            return bytes;
        }

        /// <summary>Whether the stream, from its position, starts with <paramref name="expected"/>.</summary>
        public static bool StartsWith(Stream stream, ReadOnlySpan<byte> expected) =>
            Read(stream, expected.Length).AsSpan().SequenceEqual(expected);
    }
}
