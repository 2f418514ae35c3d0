using System.Globalization;
using System.Text;
using AnomalyTools.Values;
using Xunit;

namespace AnomalyTools.Tests.Core;

public class TransactionValuesTests
{
    [Theory]
    [InlineData("9582.15", "9582.15")]
    [InlineData("9622.80", "9622.80")]
    [InlineData("8000", "8000")]
    [InlineData("-12.5", "-12.5")]
    [InlineData("+7", "7")]
    [InlineData(" 42.00 ", "42.00")]
    [InlineData("0.0000000001", "0.0000000001")]
    [InlineData("12345678901234567890.5", "12345678901234567890.5")]
    public void Amounts_are_exact_decimals_that_keep_their_scale(string text, string expected)
    {
        Assert.True(TransactionValues.TryParseAmount(text, null, out var amount));
        Assert.Equal(expected, amount.ToString(CultureInfo.InvariantCulture));

        Assert.True(TransactionValues.TryParseAmount(Encoding.UTF8.GetBytes(text), null, out var fromUtf8));
        Assert.Equal(expected, fromUtf8.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("1e4")]
    [InlineData("1,000.00")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("--5")]
    [InlineData("12.3.4")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("79228162514264337593543950336")]
    [InlineData("$100")]
    public void Amounts_that_are_not_plain_decimals_are_rejected(string text)
    {
        Assert.False(TransactionValues.TryParseAmount(text, null, out _));
        Assert.False(TransactionValues.TryParseAmount(Encoding.UTF8.GetBytes(text), null, out _));
    }

    [Fact]
    public void A_culture_reads_its_own_separators()
    {
        var german = CultureInfo.GetCultureInfo("de-DE");
        Assert.True(TransactionValues.TryParseAmount("1.234,56", german, out var amount));
        Assert.Equal(1234.56m, amount);
        Assert.True(TransactionValues.TryParseAmount(Encoding.UTF8.GetBytes("9582,15"), german, out amount));
        Assert.Equal(9582.15m, amount);
    }

    [Theory]
    [InlineData("2024-03-01T10:20:30Z", "2024-03-01T10:20:30.0000000+00:00")]
    [InlineData("2024-03-01T10:20:30", "2024-03-01T10:20:30.0000000+00:00")]
    [InlineData("2024-03-01T10:20:30.125+02:00", "2024-03-01T10:20:30.1250000+02:00")]
    [InlineData("2024-03-01 10:20:30", "2024-03-01T10:20:30.0000000+00:00")]
    [InlineData("2024-03-01T10:20Z", "2024-03-01T10:20:00.0000000+00:00")]
    [InlineData("2024-03-01", "2024-03-01T00:00:00.0000000+00:00")]
    [InlineData("1709288430", "2024-03-01T10:20:30.0000000+00:00")]
    [InlineData("1709288430.5", "2024-03-01T10:20:30.5000000+00:00")]
    [InlineData("0", "1970-01-01T00:00:00.0000000+00:00")]
    public void Timestamps_are_iso_8601_with_utc_by_default_or_epoch_seconds(string text, string expected)
    {
        Assert.True(TransactionValues.TryParseTimestamp(text, out var timestamp));
        Assert.Equal(expected, timestamp.ToString("o", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("03/01/2024")]
    [InlineData("2024-13-01")]
    [InlineData("99999999999999999")]
    [InlineData("1.2.3")]
    public void Other_timestamps_are_rejected(string text)
    {
        Assert.False(TransactionValues.TryParseTimestamp(text, out _));
    }

    [Theory]
    [InlineData("2024-03-01T10:20:30Z")]
    [InlineData("2024-03-01 10:20:30")]
    [InlineData("2024-02-29T23:59:59.9999999Z")]
    [InlineData("2024-03-01T10:20:30.1")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    [InlineData("2024-03-01T10:20:30.125+02:00")]
    [InlineData("2024-03-01T10:20Z")]
    [InlineData("1709288430.5")]
    [InlineData("2023-02-29T10:20:30Z")]
    [InlineData("2024-03-01T24:00:00Z")]
    [InlineData("2024-03-01T10:60:00Z")]
    [InlineData("2024-03-01T10:20:30.Z")]
    [InlineData("2024-03-01T10:20:30.12345678Z")]
    [InlineData("2024-03-01X10:20:30Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("2024-03-01T10:20:30ZZ")]
    [InlineData("2000-02-29T12:00:00Z")]
    [InlineData("1900-02-29T12:00:00Z")]
    [InlineData("2100-02-28T12:00:00Z")]
    [InlineData("2023-12-31T23:59:59Z")]
    [InlineData("2024-12-31T23:59:59.5Z")]
    [InlineData("2024-04-31T00:00:00Z")]
    [InlineData("2024-13-01T00:00:00Z")]
    [InlineData("2024-00-10T00:00:00Z")]
    [InlineData("2024-01-00T00:00:00Z")]
    public void Timestamps_read_as_utf8_bytes_are_read_as_their_text_is(string text)
    {
        var fromText = TransactionValues.TryParseTimestamp(text, out var expected);

        var fromBytes = TransactionValues.TryParseTimestamp(Encoding.UTF8.GetBytes(text), out var timestamp);

        Assert.Equal(fromText, fromBytes);
        Assert.Equal(expected.ToString("o", CultureInfo.InvariantCulture), timestamp.ToString("o", CultureInfo.InvariantCulture));
    }

    [Theory]
    // de-DE: '.' groups by three left of the ',' decimal separator, or is not written at all.
    [InlineData("de-DE", "1.234,56", "1234.56")]
    [InlineData("de-DE", "1.234.567,89", "1234567.89")]
    [InlineData("de-DE", "1234567,89", "1234567.89")]
    [InlineData("de-DE", "-12.345", "-12345")]
    [InlineData("de-DE", ",5", "0.5")]
    [InlineData("de-DE", "9001.50", null)]
    [InlineData("de-DE", "8.5", null)]
    [InlineData("de-DE", "1.2.3,4", null)]
    [InlineData("de-DE", "12345.678", null)]
    [InlineData("de-DE", "1.2345,6", null)]
    [InlineData("de-DE", "1.234.56", null)]
    [InlineData("de-DE", "1..234", null)]
    [InlineData("de-DE", ".234", null)]
    [InlineData("de-DE", "1.234,5.6", null)]
    // fr-FR groups with a narrow no-break space; a no-break space or a space stands for it.
    [InlineData("fr-FR", "1\u202F234,56", "1234.56")]
    [InlineData("fr-FR", "1\u00A0234\u00A0567,89", "1234567.89")]
    [InlineData("fr-FR", "1 234,56", "1234.56")]
    [InlineData("fr-FR", "12\u202F34,5", null)]
    [InlineData("fr-FR", "1.234,56", null)]
    // en-IN groups by three, then by two.
    [InlineData("en-IN", "12,34,567.89", "1234567.89")]
    [InlineData("en-IN", "99,999.5", "99999.5")]
    [InlineData("en-IN", "1,234", "1234")]
    [InlineData("en-IN", "1,234,567.89", null)]
    [InlineData("en-IN", "123,456.5", null)]
    [InlineData("en-IN", "12,34.5", null)]
    // ar-SA: U+066C groups, U+066B is the decimal separator, and its minus sign carries a letter mark.
    [InlineData("ar-SA", "1\u066C234\u066B56", "1234.56")]
    [InlineData("ar-SA", "\u061C-5\u066B5", "-5.5")]
    [InlineData("ar-SA", "-1234\u066B5", "-1234.5")]
    [InlineData("ar-SA", "1\u066C23\u066B4", null)]
    [InlineData("ar-SA", "1.5", null)]
    // en-US: ',' groups by three left of the '.'.
    [InlineData("en-US", "1,234,567.89", "1234567.89")]
    [InlineData("en-US", "1,23.4", null)]
    public void A_culture_reads_group_separators_only_where_it_puts_them(string culture, string text, string? expected)
    {
        var info = CultureInfo.GetCultureInfo(culture);

        var problem = TransactionValues.ParseAmount(text, info, out var amount);
        var fromBytes = TransactionValues.ParseAmount(Encoding.UTF8.GetBytes(text), info, out var amountFromBytes);

        Assert.Equal(problem, fromBytes);
        Assert.Equal(amount, amountFromBytes);
        if (expected is null)
        {
            Assert.NotEqual(AmountProblem.None, problem);
        }
        else
        {
            Assert.Equal(AmountProblem.None, problem);
            Assert.Equal(expected, amount.ToString(CultureInfo.InvariantCulture));
        }
    }

    [Theory]
    [InlineData("de-DE", "9001.50")]
    [InlineData("de-DE", "8.5")]
    [InlineData("en-IN", "1,234,567.89")]
    [InlineData("fr-FR", "12 34,5")]
    public void A_misplaced_group_separator_is_said_to_be_one(string culture, string text)
    {
        Assert.Equal(AmountProblem.MisplacedGroupSeparator, TransactionValues.ParseAmount(text, CultureInfo.GetCultureInfo(culture), out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("en-IN")]
    [InlineData("ar-SA")]
    [InlineData("de-CH")]
    [InlineData("en-US")]
    public void The_examples_an_invalid_amount_gives_are_valid_in_its_culture(string culture)
    {
        var info = culture.Length == 0 ? null : CultureInfo.GetCultureInfo(culture);

        foreach (var grouped in info is null ? new[] { false } : new[] { false, true })
        {
            var example = TransactionValues.AmountExample(grouped ? 1234567.89m : 9582.15m, info, grouped);
            Assert.True(TransactionValues.TryParseAmount(example, info, out var amount), example);
            Assert.Equal(grouped ? 1234567.89m : 9582.15m, amount);
        }
    }

    [Theory]
    [InlineData("12345678901234567890.123456789012", "TooManyDigits")]
    [InlineData("0.00000000000000000000000000001", "TooManyDigits")]
    [InlineData("1.00000000000000000000000000000", "TooManyDigits")]
    [InlineData("7922816251426433759354395033.6", "TooManyDigits")]
    [InlineData("-3.14159265358979323846264338327950", "TooManyDigits")]
    [InlineData("79228162514264337593543950336", "OutOfRange")]
    [InlineData("-99999999999999999999999999999999.5", "OutOfRange")]
    public void An_amount_that_decimal_would_round_is_rejected(string text, string problem)
    {
        var expected = Enum.Parse<AmountProblem>(problem);
        Assert.Equal(expected, TransactionValues.ParseAmount(text, null, out _));
        Assert.Equal(expected, TransactionValues.ParseAmount(Encoding.UTF8.GetBytes(text), null, out _));
        Assert.Equal(expected, TransactionValues.ParseAmount(text.Replace('.', ','), CultureInfo.GetCultureInfo("de-DE"), out _));
    }

    [Theory]
    [InlineData("79228162514264337593543950335")]
    [InlineData("-79228162514264337593543950335")]
    [InlineData("7922816251426433759354395033.5")]
    [InlineData("1.0000000000000000000000000000")]
    [InlineData("0.0000000000000000000000000001")]
    [InlineData("0.1234567890123456789012345678")]
    public void An_amount_that_decimal_holds_exactly_is_kept_digit_for_digit(string text)
    {
        Assert.True(TransactionValues.TryParseAmount(text, null, out var amount));
        Assert.Equal(text, amount.ToString(CultureInfo.InvariantCulture));
        Assert.True(TransactionValues.TryParseAmount(Encoding.UTF8.GetBytes(text), null, out var fromBytes));
        Assert.Equal(text, fromBytes.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Amounts_of_any_length_are_kept_exactly_or_rejected_and_bytes_and_text_agree()
    {
        var random = new Random(19);
        for (var i = 0; i < 20_000; i++)
        {
            var integer = Digits(random, random.Next(0, 34));
            var fraction = Digits(random, random.Next(0, 34));
            var significant = (integer.TrimStart('0') + fraction).TrimStart('0').Length;
            // A negative zero is left out: how decimal writes one is not what this checks.
            var sign = significant > 0 && random.Next(3) == 0 ? "-" : "";
            var text = sign + (integer.Length == 0 ? "0" : integer) + (fraction.Length > 0 ? "." + fraction : "");

            var problem = TransactionValues.ParseAmount(text, null, out var amount);
            var fromBytes = TransactionValues.ParseAmount(Encoding.UTF8.GetBytes(text), null, out var amountFromBytes);

            Assert.Equal(problem, fromBytes);
            Assert.Equal(amount.ToString(CultureInfo.InvariantCulture), amountFromBytes.ToString(CultureInfo.InvariantCulture));
            if (significant <= 28 && fraction.Length <= 28)
            {
                Assert.Equal(AmountProblem.None, problem);
                Assert.Equal(Canonical(text), amount.ToString(CultureInfo.InvariantCulture));
            }
            else if (significant > 29 || fraction.Length > 28)
            {
                Assert.NotEqual(AmountProblem.None, problem);
            }
            else if (problem == AmountProblem.None)
            {
                Assert.Equal(Canonical(text), amount.ToString(CultureInfo.InvariantCulture));
            }
        }

        static string Digits(Random random, int count)
        {
            var digits = new char[count];
            for (var i = 0; i < count; i++) digits[i] = (char)('0' + random.Next(10));
            return new string(digits);
        }

        // The digits as written, without leading zeros.
        static string Canonical(string text)
        {
            var negative = text.StartsWith('-');
            var unsigned = negative ? text[1..] : text;
            var point = unsigned.IndexOf('.');
            var integer = (point < 0 ? unsigned : unsigned[..point]).TrimStart('0');
            return (negative ? "-" : "") + (integer.Length == 0 ? "0" : integer) + (point < 0 ? "" : unsigned[point..]);
        }
    }

    [Theory]
    [InlineData("20240301", "2024-03-01T00:00:00.0000000+00:00")]
    [InlineData("20240229", "2024-02-29T00:00:00.0000000+00:00")]
    [InlineData("19700101", "1970-01-01T00:00:00.0000000+00:00")]
    [InlineData("20240301T102030Z", "2024-03-01T10:20:30.0000000+00:00")]
    [InlineData("20240301T102030.5+02:00", "2024-03-01T10:20:30.5000000+02:00")]
    [InlineData("20240301T1020", "2024-03-01T10:20:00.0000000+00:00")]
    [InlineData("1234567", "1970-01-15T06:56:07.0000000+00:00")]
    [InlineData("123456789", "1973-11-29T21:33:09.0000000+00:00")]
    [InlineData("-20240301", "1969-05-11T17:41:39.0000000+00:00")]
    public void Eight_digits_are_an_iso_8601_basic_date_and_other_numbers_epoch_seconds(string text, string expected)
    {
        Assert.True(TransactionValues.TryParseTimestamp(text, out var timestamp));
        Assert.Equal(expected, timestamp.ToString("o", CultureInfo.InvariantCulture));
        Assert.True(TransactionValues.TryParseTimestamp(Encoding.UTF8.GetBytes(text), out var fromBytes));
        Assert.Equal(expected, fromBytes.ToString("o", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("20230229")]
    [InlineData("12345678")]
    [InlineData("99999999")]
    [InlineData("00000000")]
    [InlineData("20241301")]
    [InlineData("20240301.5")]
    [InlineData("20240301T25")]
    public void Eight_digits_that_are_no_date_are_rejected_never_read_as_1970(string text)
    {
        Assert.False(TransactionValues.TryParseTimestamp(text, out _));
        Assert.False(TransactionValues.TryParseTimestamp(Encoding.UTF8.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("202403011020")]
    [InlineData("202403011020.5")]
    [InlineData("20240301102030")]
    [InlineData("100000000000")]
    [InlineData("253402300799")]
    [InlineData(" 202403011020 ")]
    public void Twelve_or_more_unsigned_digits_are_a_compact_date_time_never_epoch_seconds_in_a_far_year(string text)
    {
        Assert.False(TransactionValues.TryParseTimestamp(text, out _));
        Assert.False(TransactionValues.TryParseTimestamp(Encoding.UTF8.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("99999999999", "5138-11-16T09:46:39.0000000+00:00")]
    [InlineData("1709288430", "2024-03-01T10:20:30.0000000+00:00")]
    [InlineData("+202403011020", "8383-11-24T10:37:00.0000000+00:00")]
    public void Epoch_seconds_of_up_to_eleven_digits_or_with_a_sign_are_read(string text, string expected)
    {
        Assert.True(TransactionValues.TryParseTimestamp(text, out var timestamp));
        Assert.Equal(expected, timestamp.ToString("o", CultureInfo.InvariantCulture));
        Assert.True(TransactionValues.TryParseTimestamp(Encoding.UTF8.GetBytes(text), out var fromBytes));
        Assert.Equal(expected, fromBytes.ToString("o", CultureInfo.InvariantCulture));
    }
}
