using System;
using System.IO;
using System.Security.Cryptography;

namespace AnomalyTools.Checkpoints
{
    /// <summary>
    /// A hash of a file's first bytes (up to <see cref="MaxLength"/>): how a checkpoint recognises the input its positions
    /// belong to, so that a file replaced by another at the same path is read again from the top rather than skipped.
    /// A file that grows keeps its fingerprint, since only bytes already there are hashed.
    /// </summary>
    public readonly struct FileFingerprint
    {
        /// <summary>How many bytes at most are hashed.</summary>
        public const int MaxLength = 4096;

        /// <summary>A fingerprint of the first <paramref name="length"/> bytes, whose SHA-256 is <paramref name="hash"/> (hex).</summary>
        public FileFingerprint(int length, string hash)
        {
            if (length < 0 || length > MaxLength) throw new ArgumentOutOfRangeException(nameof(length));
            Length = length;
            Hash = hash ?? throw new ArgumentNullException(nameof(hash));
        }

        /// <summary>How many bytes were hashed; 0 when the file could not be read, which matches any file.</summary>
        public int Length { get; }

        /// <summary>The SHA-256 of those bytes, in lowercase hex.</summary>
        public string Hash { get; }

        /// <summary>The fingerprint of the file at <paramref name="path"/> as it is now; one of length 0 when it cannot be read.</summary>
        public static FileFingerprint Of(string path)
        {
            var bytes = ReadStart(path, MaxLength);
            return bytes is null ? default : new FileFingerprint(bytes.Length, HashOf(bytes));
        }

        /// <summary>Whether the file at <paramref name="path"/> still starts with the bytes this fingerprint was taken of.</summary>
        public bool Matches(string path)
        {
            if (Length == 0) return true;
            var bytes = ReadStart(path, Length);
            return bytes != null && bytes.Length == Length && string.Equals(HashOf(bytes), Hash, StringComparison.Ordinal);
        }

        private static byte[]? ReadStart(string path, int count)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
                return StreamStart.Read(stream, (int)Math.Min(count, stream.Length));
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException || exception is ArgumentException || exception is NotSupportedException)
            {
                return null;
            }
        }

        private static string HashOf(byte[] bytes)
        {
            using var sha = SHA256.Create();
            return BitConverter.ToString(sha.ComputeHash(bytes)).Replace("-", string.Empty).ToLowerInvariant();
        }
    }
}
