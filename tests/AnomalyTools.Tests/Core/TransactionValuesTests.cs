using System.Globalization;
using System.Text;
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
}
