using System;
using System.Collections.Generic;
using System.Globalization;

namespace AnomalyTools.Values
{
    /// <summary>
    /// Parses the text of amounts and timestamps, the same way for every source (CSV files and other objects).
    /// Amounts are decimals, never binary floating point; timestamps are ISO 8601 (no offset means UTC) or
    /// Unix epoch seconds.
    /// </summary>
    public static class TransactionValues
    {
        private const int BasicDateDigits = 8;
        private const int MaxUnsignedEpochDigits = 11;

        // decimal holds a 96-bit integer scaled by a power of ten from 0 to 28.
        private const int MaxScale = 28;

        private static readonly string[] s_isoFormats =
        {
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
            "yyyy-MM-dd'T'HH:mmK",
            "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
            "yyyy-MM-dd HH:mmK",
            "yyyy-MM-dd",
            "yyyyMMdd'T'HHmmss.FFFFFFFK",
            "yyyyMMdd'T'HHmmK",
            "yyyyMMdd",
        };

        private static readonly decimal s_minEpochSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
        private static readonly decimal s_maxEpochSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

        /// <summary>
        /// Parses an amount. With the invariant culture (<paramref name="culture"/> null) it is an optional sign,
        /// digits and an optional <c>.</c> with more digits; no exponent, no digit grouping. With another culture,
        /// that culture's decimal separator, and its group separators only where it puts them. An amount that
        /// <see cref="decimal"/> cannot hold exactly, digit for digit, is rejected rather than rounded.
        /// </summary>
        public static bool TryParseAmount(string text, CultureInfo? culture, out decimal amount) =>
            ParseAmount(text, culture, out amount) == AmountProblem.None;

        /// <summary>
        /// Parses an amount from UTF-8 bytes as <see cref="TryParseAmount(string, CultureInfo?, out decimal)"/> does,
        /// without allocating for the common form (<c>-1234.56</c>, up to 19 digits).
        /// </summary>
        public static bool TryParseAmount(ReadOnlySpan<byte> utf8, CultureInfo? culture, out decimal amount) =>
            ParseAmount(utf8, culture, out amount) == AmountProblem.None;

        /// <summary>Parses an amount as <see cref="TryParseAmount(string, CultureInfo?, out decimal)"/> does, saying what was wrong.</summary>
        internal static AmountProblem ParseAmount(ReadOnlySpan<byte> utf8, CultureInfo? culture, out decimal amount)
        {
            if (IsInvariant(culture) && TryParsePlainDecimal(utf8, out amount)) return AmountProblem.None;
            return ParseAmount(Utf8Text.ToString(utf8), culture, out amount);
        }

        /// <summary>Parses an amount as <see cref="TryParseAmount(string, CultureInfo?, out decimal)"/> does, saying what was wrong.</summary>
        internal static AmountProblem ParseAmount(string text, CultureInfo? culture, out decimal amount)
        {
            if (text is null) throw new ArgumentNullException(nameof(text));
            amount = 0;
            var format = IsInvariant(culture) ? NumberFormatInfo.InvariantInfo : culture!.NumberFormat;
            var end = text.Length;
            var i = 0;
            while (i < end && IsWhite(text[i])) i++;
            while (end > i && IsWhite(text[end - 1])) end--;

            var negative = false;
            if (StartsWith(text, i, end, format.NegativeSign) || StartsWith(text, i, end, "-"))
            {
                negative = true;
                i += StartsWith(text, i, end, format.NegativeSign) ? format.NegativeSign.Length : 1;
            }
            else if (StartsWith(text, i, end, format.PositiveSign) || StartsWith(text, i, end, "+"))
            {
                i += StartsWith(text, i, end, format.PositiveSign) ? format.PositiveSign.Length : 1;
            }

            // The integer part: digits, and with a culture its group separators, each group's length noted from the left.
            var mantissa = default(Mantissa);
            List<int>? groupLengths = null;
            var groupLength = 0;
            var integerDigits = 0;
            var grouping = !IsInvariant(culture) && format.NumberGroupSeparator.Length > 0;
            while (i < end)
            {
                var c = text[i];
                if (c >= '0' && c <= '9')
                {
                    mantissa.Add(c);
                    groupLength++;
                    integerDigits++;
                    i++;
                }
                else if (grouping && MatchesGroupSeparator(text, i, end, format.NumberGroupSeparator, out var length))
                {
                    (groupLengths ??= new List<int>()).Add(groupLength);
                    groupLength = 0;
                    i += length;
                }
                else
                {
                    break;
                }
            }
            groupLengths?.Add(groupLength);
            var integerOverflow = mantissa.Overflow;

            var fractionDigits = 0;
            if (StartsWith(text, i, end, format.NumberDecimalSeparator))
            {
                i += format.NumberDecimalSeparator.Length;
                while (i < end && text[i] >= '0' && text[i] <= '9')
                {
                    mantissa.Add(text[i]);
                    fractionDigits++;
                    i++;
                }
            }

            if (i != end || integerDigits + fractionDigits == 0) return AmountProblem.NotANumber;
            if (groupLengths != null && !IsGroupedAsCultureDoes(groupLengths, format.NumberGroupSizes)) return AmountProblem.MisplacedGroupSeparator;
            if (integerOverflow) return AmountProblem.OutOfRange;
            if (mantissa.Overflow || fractionDigits > MaxScale) return AmountProblem.TooManyDigits;
            amount = mantissa.ToDecimal(negative, (byte)fractionDigits);
            return AmountProblem.None;
        }

        /// <summary>An amount as the culture writes one, for a message's example.</summary>
        internal static string AmountExample(decimal value, CultureInfo? culture, bool grouped) =>
            value.ToString(grouped ? "N2" : "0.00", IsInvariant(culture) ? CultureInfo.InvariantCulture : culture);

        /// <summary>
        /// Parses a timestamp: ISO 8601 (no offset means UTC), in its extended form (2024-03-01T10:20:30Z) or its basic
        /// one (20240301, 20240301T102030Z), or Unix epoch seconds (fractions allowed); without a sign, epoch seconds have
        /// up to eleven digits but never eight.
        /// </summary>
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

        // Eight digits without a sign are ISO 8601's basic date (20240301), never seconds in 1970; with a fraction they
        // are neither, and are rejected rather than guessed. Twelve or more digits without a sign would be seconds past
        // the year 5138: they are a compact date and time (202403011020, 20240301102030), rejected rather than read as
        // the year 8383.
        private static bool LooksLikeEpochSeconds(string text)
        {
            var start = text.Length > 0 && (text[0] == '-' || text[0] == '+') ? 1 : 0;
            if (start == text.Length) return false;
            var points = 0;
            var integerDigits = 0;
            for (var i = start; i < text.Length; i++)
            {
                if (text[i] == '.') points++;
                else if (text[i] < '0' || text[i] > '9') return false;
                else if (points == 0) integerDigits++;
            }
            return points <= 1 && (start == 1 || (integerDigits != BasicDateDigits && integerDigits <= MaxUnsignedEpochDigits));
        }

        private static bool IsWhite(char c) => c == ' ' || (c >= '\t' && c <= '\r');

        private static bool StartsWith(string text, int index, int end, string value) =>
            value.Length > 0 && end - index >= value.Length && string.CompareOrdinal(text, index, value, 0, value.Length) == 0;

        // A culture that groups with a no-break space (fr-FR's U+202F, others' U+00A0) is written with any of the
        // spaces, as .NET's own parsing allows: files made elsewhere, or typed, rarely have the culture's own one.
        private static bool MatchesGroupSeparator(string text, int index, int end, string separator, out int length)
        {
            length = separator.Length;
            if (StartsWith(text, index, end, separator)) return true;
            length = 1;
            return separator.Length == 1 && IsSpace(separator[0]) && IsSpace(text[index]);

            static bool IsSpace(char c) => c == ' ' || c == '\u00A0' || c == '\u202F';
        }

        // The groups, counted from the left, must be those the culture writes: from the decimal separator leftwards,
        // sizes[0] digits, then sizes[1], ..., the last size repeating (or, when it is 0, the rest ungrouped).
        private static bool IsGroupedAsCultureDoes(List<int> lengths, int[] sizes)
        {
            var last = lengths.Count - 1;
            for (var k = last; k >= 1; k--)
            {
                var size = GroupSize(sizes, last - k);
                if (size == 0 || lengths[k] != size) return false;
            }
            var leftmost = GroupSize(sizes, last);
            return lengths[0] >= 1 && (leftmost == 0 || lengths[0] <= leftmost);
        }

        private static int GroupSize(int[] sizes, int group) => sizes.Length == 0 ? 0 : sizes[Math.Min(group, sizes.Length - 1)];

        /// <summary>The digits of an amount as decimal's 96-bit integer, noting when they no longer fit.</summary>
        private struct Mantissa
        {
            private uint _low;
            private uint _mid;
            private uint _high;

            public bool Overflow { get; private set; }

            public void Add(char digit)
            {
                if (Overflow) return;
                var next = (ulong)_low * 10 + (uint)(digit - '0');
                _low = (uint)next;
                next = (ulong)_mid * 10 + (next >> 32);
                _mid = (uint)next;
                next = (ulong)_high * 10 + (next >> 32);
                _high = (uint)next;
                Overflow = next >> 32 != 0;
            }

            public decimal ToDecimal(bool negative, byte scale) => new decimal((int)_low, (int)_mid, (int)_high, negative, scale);
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

    /// <summary>Why an amount could not be read.</summary>
    internal enum AmountProblem
    {
        /// <summary>It was read.</summary>
        None,

        /// <summary>It is not a decimal number in the culture in use.</summary>
        NotANumber,

        /// <summary>A group separator stands where the culture puts none.</summary>
        MisplacedGroupSeparator,

        /// <summary>It has more significant digits, or decimals, than <see cref="decimal"/> holds: reading it would round it.</summary>
        TooManyDigits,

        /// <summary>Its integer part is beyond the range of <see cref="decimal"/>.</summary>
        OutOfRange,
    }
}
