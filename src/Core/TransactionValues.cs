using System;
using System.Globalization;

namespace AnomalyTools
{
    /// <summary>
    /// Parses the text of amounts and timestamps, the same way for every source (CSV files and other objects).
    /// Amounts are decimals, never binary floating point; timestamps are ISO 8601 (no offset means UTC) or
    /// Unix epoch seconds.
    /// </summary>
    public static class TransactionValues
    {
        private const NumberStyles InvariantAmountStyles =
            NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite |
            NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

        // A culture other than the invariant one is asked for by users whose files group digits, such as 1.234,56.
        private const NumberStyles CultureAmountStyles = InvariantAmountStyles | NumberStyles.AllowThousands;

        private static readonly string[] s_isoFormats =
        {
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
            "yyyy-MM-dd'T'HH:mmK",
            "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
            "yyyy-MM-dd HH:mmK",
            "yyyy-MM-dd",
        };

        private static readonly decimal s_minEpochSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
        private static readonly decimal s_maxEpochSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

        /// <summary>
        /// Parses an amount. With the invariant culture (<paramref name="culture"/> null) it is an optional sign,
        /// digits and an optional <c>.</c> with more digits; no exponent, no digit grouping. With another culture,
        /// that culture's decimal and group separators.
        /// </summary>
        public static bool TryParseAmount(string text, CultureInfo? culture, out decimal amount)
        {
            if (text is null) throw new ArgumentNullException(nameof(text));
            return IsInvariant(culture)
                ? decimal.TryParse(text, InvariantAmountStyles, CultureInfo.InvariantCulture, out amount)
                : decimal.TryParse(text, CultureAmountStyles, culture, out amount);
        }

        /// <summary>
        /// Parses an amount from UTF-8 bytes as <see cref="TryParseAmount(string, CultureInfo?, out decimal)"/> does,
        /// without allocating for the common form (<c>-1234.56</c>, up to 19 digits).
        /// </summary>
        public static bool TryParseAmount(ReadOnlySpan<byte> utf8, CultureInfo? culture, out decimal amount)
        {
            if (IsInvariant(culture) && TryParsePlainDecimal(utf8, out amount)) return true;
            return TryParseAmount(Utf8Text.ToString(utf8), culture, out amount);
        }

        /// <summary>Parses a timestamp: ISO 8601 (no offset means UTC) or Unix epoch seconds (fractions allowed).</summary>
        public static bool TryParseTimestamp(string text, out DateTimeOffset timestamp)
        {
            if (text is null) throw new ArgumentNullException(nameof(text));
            var trimmed = text.Trim();
            if (LooksLikeEpochSeconds(trimmed))
            {
                timestamp = default;
                if (!decimal.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
                    || seconds < s_minEpochSeconds || seconds > s_maxEpochSeconds)
                {
                    return false;
                }
                var ticks = decimal.Truncate(seconds * TimeSpan.TicksPerSecond);
                timestamp = DateTimeOffset.FromUnixTimeSeconds(0).AddTicks((long)ticks);
                return true;
            }
            return DateTimeOffset.TryParseExact(trimmed, s_isoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out timestamp);
        }

        /// <summary>
        /// Parses a timestamp from UTF-8 bytes as <see cref="TryParseTimestamp(string, out DateTimeOffset)"/> does, without
        /// allocating for the common form (<c>2024-03-01T08:05:00Z</c>, a space for the T, up to seven fraction digits,
        /// Z or no offset).
        /// </summary>
        public static bool TryParseTimestamp(ReadOnlySpan<byte> utf8, out DateTimeOffset timestamp)
        {
            if (TryParseUtcIso(utf8, out timestamp)) return true;
            return TryParseTimestamp(Utf8Text.ToString(utf8), out timestamp);
        }

        /// <summary>Whether <paramref name="culture"/> stands for the invariant culture, the default.</summary>
        internal static bool IsInvariant(CultureInfo? culture) => culture is null || culture.Equals(CultureInfo.InvariantCulture);

        private static bool LooksLikeEpochSeconds(string text)
        {
            var start = text.Length > 0 && (text[0] == '-' || text[0] == '+') ? 1 : 0;
            if (start == text.Length) return false;
            var points = 0;
            for (var i = start; i < text.Length; i++)
            {
                if (text[i] == '.') points++;
                else if (text[i] < '0' || text[i] > '9') return false;
            }
            return points <= 1;
        }

        // yyyy-MM-ddTHH:mm:ss[.f{1,7}][Z]; anything else (offsets, minutes only, dates alone) takes the general path.
        private static bool TryParseUtcIso(ReadOnlySpan<byte> s, out DateTimeOffset timestamp)
        {
            timestamp = default;
            var length = s.Length > 0 && s[s.Length - 1] == (byte)'Z' ? s.Length - 1 : s.Length;
            if (length < 19 || s[4] != (byte)'-' || s[7] != (byte)'-' || (s[10] != (byte)'T' && s[10] != (byte)' ')
                || s[13] != (byte)':' || s[16] != (byte)':')
            {
                return false;
            }
            if (!TryDigits(s, 0, 4, out var year) || !TryDigits(s, 5, 2, out var month) || !TryDigits(s, 8, 2, out var day)
                || !TryDigits(s, 11, 2, out var hour) || !TryDigits(s, 14, 2, out var minute) || !TryDigits(s, 17, 2, out var second))
            {
                return false;
            }
            long fractionTicks = 0;
            if (length > 19)
            {
                var digits = length - 20;
                if (s[19] != (byte)'.' || digits < 1 || digits > 7 || !TryDigits(s, 20, digits, out var fraction)) return false;
                fractionTicks = fraction;
                for (var i = digits; i < 7; i++) fractionTicks *= 10;
            }
            if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
                || hour > 23 || minute > 59 || second > 59)
            {
                return false;
            }
            var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fractionTicks;
            timestamp = new DateTimeOffset(ticks, TimeSpan.Zero);
            return true;
        }

        private static bool TryDigits(ReadOnlySpan<byte> s, int start, int count, out int value)
        {
            value = 0;
            for (var i = start; i < start + count; i++)
            {
                var digit = s[i] - (byte)'0';
                if ((uint)digit > 9) return false;
                value = value * 10 + digit;
            }
            return true;
        }

        private static bool TryParsePlainDecimal(ReadOnlySpan<byte> s, out decimal value)
        {
            value = 0;
            var i = 0;
            var negative = false;
            if (s.Length > 0 && (s[0] == (byte)'-' || s[0] == (byte)'+'))
            {
                negative = s[0] == (byte)'-';
                i = 1;
            }

            ulong mantissa = 0;
            var digits = 0;
            var scale = 0;
            var seenPoint = false;
            for (; i < s.Length; i++)
            {
                var c = s[i];
                if (c == (byte)'.' && !seenPoint && digits > 0)
                {
                    seenPoint = true;
                    continue;
                }
                if (c < (byte)'0' || c > (byte)'9' || ++digits > 19) return false;
                mantissa = mantissa * 10 + (ulong)(c - '0');
                if (seenPoint) scale++;
            }
            if (digits == 0 || (seenPoint && scale == 0)) return false;
            value = new decimal((int)(mantissa & 0xFFFFFFFF), (int)(mantissa >> 32), 0, negative, (byte)scale);
            return true;
        }
    }
}
