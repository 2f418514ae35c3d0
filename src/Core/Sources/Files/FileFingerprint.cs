using System;
using System.IO;
using System.Security.Cryptography;

namespace AnomalyTools.Sources.Files
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

        /// <summary>How many bytes were hashed; 0 for no fingerprint at all, which matches no file.</summary>
        public int Length { get; }

        /// <summary>The SHA-256 of those bytes, in lowercase hex.</summary>
        public string Hash { get; }

        /// <summary>The fingerprint of the file at <paramref name="path"/> as it is now.</summary>
        /// <exception cref="IOException">The file cannot be read.</exception>
        /// <exception cref="UnauthorizedAccessException">The file cannot be read with the caller's permissions.</exception>
        public static FileFingerprint Of(string path) => Of(ReadStart(path, MaxLength));

        /// <summary>The fingerprint of a file that starts with <paramref name="start"/> (only the first <see cref="MaxLength"/> bytes count).</summary>
        public static FileFingerprint Of(ReadOnlySpan<byte> start)
        {
            var length = Math.Min(start.Length, MaxLength);
            return new FileFingerprint(length, HashOf(start.Slice(0, length)));
        }

        /// <summary>Whether the file at <paramref name="path"/> still starts with the bytes this fingerprint was taken of.</summary>
        /// <exception cref="IOException">The file cannot be read: that is no answer, never a match.</exception>
        /// <exception cref="UnauthorizedAccessException">The file cannot be read with the caller's permissions.</exception>
        public bool Matches(string path) => Length > 0 && Matches(ReadStart(path, Length));

        /// <summary>Whether a file that starts with <paramref name="start"/> starts with the bytes this fingerprint was taken of.</summary>
        public bool Matches(ReadOnlySpan<byte> start) =>
            Length > 0 && start.Length >= Length && string.Equals(HashOf(start.Slice(0, Length)), Hash, StringComparison.Ordinal);

        private static byte[] ReadStart(string path, int count)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            return StreamStart.Read(stream, (int)Math.Min(count, stream.Length));
        }

        private static string HashOf(ReadOnlySpan<byte> bytes)
        {
            using var sha = SHA256.Create();
            return BitConverter.ToString(sha.ComputeHash(bytes.ToArray())).Replace("-", string.Empty).ToLowerInvariant();
        }
    }
}
