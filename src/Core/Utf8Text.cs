using System;
using System.Text;

namespace AnomalyTools
{
    /// <summary>Strings from UTF-8 bytes without an intermediate array, on every target framework.</summary>
    internal static class Utf8Text
    {
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
