using System.Text;
using AnomalyTools.Sources;
using AnomalyTools.Sources.Csv;
using Xunit;

namespace AnomalyTools.Tests.Core;

/// <summary>
/// The corpus of bad input, made by the tests: each file gives its documented outcome, an error with a stable id at
/// the right line, and the good rows after it are still read.
/// </summary>
public class HostileInputTests
{
    private const string Header = "transaction_id,customer_id,amount,timestamp\n";
    private const string GoodTail = "8,C8,8000.01,\n9,C9,9000,2024-03-01T08:00:00Z\n";

    private static (string[] Ids, (ImportErrorId Id, long Line)[] Errors) Read(byte[] bytes, bool parseAhead = true)
    {
        using var reader = new TransactionCsvReader(new MemoryStream(bytes), "t.csv", new TransactionCsvOptions { ParseAhead = parseAhead });
        var results = reader.ReadAll().ToArray();
        return (results.Where(r => r.Transaction != null).Select(r => r.Transaction!.TransactionId).ToArray(),
            results.Where(r => r.Error != null).Select(r => (r.Error!.Id, r.Error.LineNumber)).ToArray());
    }

    private static (string[] Ids, (ImportErrorId Id, long Line)[] Errors) Read(string text) => Read(Encoding.UTF8.GetBytes(text));

    public static TheoryData<string, string, ImportErrorId, long> BadRows => new()
    {
        { "quote inside an unquoted field", "1,C\"1,9000,\n", ImportErrorId.MalformedCsv, 2 },
        { "text after a closing quote", "1,\"C1\"x,9000,\n", ImportErrorId.MalformedCsv, 2 },
        { "too few fields", "1,C1,9000\n", ImportErrorId.FieldCountMismatch, 2 },
        { "too many fields", "1,C1,9000,,extra\n", ImportErrorId.FieldCountMismatch, 2 },
        { "amount in exponent form", "1,C1,1e4,\n", ImportErrorId.InvalidAmount, 2 },
        { "amount with a group separator", "1,C1,\"1,000.00\",\n", ImportErrorId.InvalidAmount, 2 },
        { "amount NaN", "1,C1,NaN,\n", ImportErrorId.InvalidAmount, 2 },
        { "amount Infinity", "1,C1,Infinity,\n", ImportErrorId.InvalidAmount, 2 },
        { "amount with two signs", "1,C1,--5,\n", ImportErrorId.InvalidAmount, 2 },
        { "amount beyond decimal's range", "1,C1,99999999999999999999999999999999,\n", ImportErrorId.InvalidAmount, 2 },
        { "amount of binary bytes", "1,C1,\u0001\u0002,\n", ImportErrorId.InvalidAmount, 2 },
        { "a leap second at the end of time", "1,C1,9000,9999-12-31T23:59:60Z\n", ImportErrorId.InvalidTimestamp, 2 },
        { "epoch seconds beyond year 9999", "1,C1,9000,99999999999999\n", ImportErrorId.InvalidTimestamp, 2 },
        { "epoch seconds before year 1", "1,C1,9000,-99999999999999\n", ImportErrorId.InvalidTimestamp, 2 },
        { "a time before year 1 in UTC", "1,C1,9000,0001-01-01T00:00:00+05:00\n", ImportErrorId.InvalidTimestamp, 2 },
        { "a missing customer", "1,,9000,\n", ImportErrorId.MissingRequiredValue, 2 },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public void A_bad_row_is_one_error_at_its_line_and_the_rows_after_it_are_read(string what, string row, ImportErrorId id, long line)
    {
        var (ids, errors) = Read(Header + row + GoodTail);

        Assert.True(errors.SequenceEqual([(id, line)]), $"{what}: {string.Join(", ", errors)}");
        Assert.Equal(["8", "9"], ids);
    }

    [Fact]
    public void Invalid_utf8_is_a_row_error_not_a_silently_changed_value()
    {
        var bytes = Encoding.UTF8.GetBytes(Header).Concat("1,C"u8.ToArray()).Concat(new byte[] { 0xFF, 0xFE }).Concat("1,9000,\n"u8.ToArray())
            .Concat(Encoding.UTF8.GetBytes(GoodTail)).ToArray();

        var (ids, errors) = Read(bytes);

        Assert.Equal([(ImportErrorId.InvalidEncoding, 2L)], errors);
        Assert.Equal(["8", "9"], ids);
    }

    [Fact]
    public void A_NUL_inside_a_value_is_kept_as_a_character()
    {
        var (ids, errors) = Read(Header + "1\u00002,C1,9000,\n");

        Assert.Empty(errors);
        Assert.Equal(["1\u00002"], ids);
    }

    [Fact]
    public void Utf16_without_a_byte_order_mark_skips_the_file_with_one_error()
    {
        var (ids, errors) = Read(Encoding.Unicode.GetBytes(Header + GoodTail));

        Assert.Empty(ids);
        Assert.Equal([(ImportErrorId.UnsupportedEncoding, 0L)], errors);
    }

    [Fact]
    public void Utf16_with_a_byte_order_mark_is_read()
    {
        var (ids, errors) = Read(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Header + GoodTail)).ToArray());

        Assert.Empty(errors);
        Assert.Equal(["8", "9"], ids);
    }

    [Theory]
    [InlineData("")]
    [InlineData(Header)]
    [InlineData("\n\n")]
    public void An_empty_file_or_a_header_alone_gives_nothing_and_no_error(string text)
    {
        var (ids, errors) = Read(text);

        Assert.Empty(ids);
        Assert.Empty(errors);
    }

    [Fact]
    public void A_header_without_a_required_column_is_one_error_for_the_file()
    {
        var (ids, errors) = Read("id,customer_id,amount\n1,C1,9000\n");

        Assert.Empty(ids);
        Assert.Equal([(ImportErrorId.MissingRequiredColumn, 0L)], errors);
    }

    [Fact]
    public void An_unterminated_quote_at_the_end_of_the_file_is_one_error_after_the_good_rows()
    {
        var (ids, errors) = Read(Header + GoodTail + "10,C10,\"9000,\n");

        Assert.Equal(["8", "9"], ids);
        Assert.Equal([(ImportErrorId.MalformedCsv, 4L)], errors);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_ten_megabyte_field_is_skipped_as_too_large_and_reading_goes_on_after_it(bool parseAhead)
    {
        var big = new string('m', 10 * 1024 * 1024);
        var bytes = Encoding.UTF8.GetBytes(Header.TrimEnd('\n') + ",merchant\n1,C1,9000,,small\n2,C2,9100,,\"" + big + "\nsecond line\"\n3,C3,9200,,small\n4,C4,x,,small\n");

        var (ids, errors) = Read(bytes, parseAhead);

        Assert.Equal(["1", "3"], ids);
        Assert.Equal([(ImportErrorId.RecordTooLarge, 3L), (ImportErrorId.InvalidAmount, 6L)], errors);
    }

    [Fact]
    public void A_ten_megabyte_field_is_read_whole_when_the_limit_is_raised()
    {
        var big = new string('m', 10 * 1024 * 1024);
        var bytes = Encoding.UTF8.GetBytes(Header.TrimEnd('\n') + ",merchant\n1,C1,9000,," + big + "\n2,C2,9100,,small\n");
        using var reader = new TransactionCsvReader(new MemoryStream(bytes), "t.csv", new TransactionCsvOptions { MaxRecordSize = 16 * 1024 * 1024 });

        var results = reader.ReadAll().ToArray();

        Assert.Equal(big, results[0].Transaction!.Attributes["merchant"]);
        Assert.Equal("2", results[1].Transaction!.TransactionId);
    }

    [Fact]
    public void A_hundred_megabytes_without_a_line_end_is_skipped_and_the_rows_after_it_are_read()
    {
        var bytes = new UTF8Encoding(true).GetPreamble()
            .Concat(Encoding.UTF8.GetBytes(Header + "1,C1,9000,\n"))
            .Concat(Enumerable.Repeat((byte)'x', 100 * 1024 * 1024))
            .Concat(Encoding.UTF8.GetBytes("\n" + GoodTail)).ToArray();

        var (ids, errors) = Read(bytes);

        Assert.Equal(["1", "8", "9"], ids);
        Assert.Equal([(ImportErrorId.RecordTooLarge, 3L)], errors);
    }

    [Fact]
    public void Reading_past_a_hundred_megabyte_line_in_a_file_takes_memory_bounded_by_the_limit_not_the_line()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("big.csv");
        using (var file = File.Create(path))
        {
            file.Write(Encoding.UTF8.GetBytes(Header + "1,C1,9000,\n"));
            var block = Enumerable.Repeat((byte)'x', 1024 * 1024).ToArray();
            for (var i = 0; i < 100; i++) file.Write(block);
            file.Write(Encoding.UTF8.GetBytes("\n" + GoodTail));
        }

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        using var stream = File.OpenRead(path);
        using var reader = new TransactionCsvReader(stream, path, new TransactionCsvOptions { ParseAhead = false });
        var results = reader.ReadAll().ToArray();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Equal(["1", "8", "9"], results.Where(r => r.Transaction != null).Select(r => r.Transaction!.TransactionId));
        Assert.Equal(ImportErrorId.RecordTooLarge, results.Single(r => r.Error != null).Error!.Id);
        Assert.True(allocated < 16 * 1024 * 1024, $"{allocated} bytes were allocated to read past a 100 MB line");
    }

    [Fact]
    public void A_quote_never_closed_near_the_top_of_a_large_file_is_one_error_not_a_file_in_memory()
    {
        var rows = string.Concat(Enumerable.Range(10, 300000).Select(i => $"{i},C{i},{i},\n"));
        var (ids, errors) = Read(Header + "1,C1,9000,\n2,\"C2,9000,\n" + rows);

        Assert.Equal(["1"], ids);
        Assert.Equal([(ImportErrorId.RecordTooLarge, 3L)], errors);
    }

    [Fact]
    public void A_header_over_the_size_limit_is_one_error_for_the_file()
    {
        var (ids, errors) = Read(Header.TrimEnd('\n') + "," + new string('h', 3 * 1024 * 1024) + "\n" + GoodTail);

        Assert.Empty(ids);
        Assert.Equal([(ImportErrorId.RecordTooLarge, 1L)], errors);
    }

    [Fact]
    public void Utf16_input_is_read_past_a_record_that_is_too_large()
    {
        var text = Header + "1,C1,9000,\n2,C2,\"" + new string('u', 2 * 1024 * 1024) + "\",\n" + GoodTail;
        var (ids, errors) = Read(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray());

        Assert.Equal(["1", "8", "9"], ids);
        Assert.Equal([(ImportErrorId.RecordTooLarge, 3L)], errors);
    }
}
