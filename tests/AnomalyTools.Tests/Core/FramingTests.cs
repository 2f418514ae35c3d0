using System.Text;
using AnomalyTools.Sources;
using AnomalyTools.Sources.Csv;
using AnomalyTools.Sources.Files;
using Xunit;

namespace AnomalyTools.Tests.Core;

/// <summary>
/// A file read once and a file followed are framed by one framer with one exact size limit: the same bytes give the
/// same transactions and errors whether they are read whole or arrive in pieces of any size.
/// </summary>
public class FramingTests
{
    private const int Limit = 1024;
    private const string Header = "transaction_id,customer_id,amount,note\n";

    private static string Describe(ImportResult result) =>
        result.Transaction is { } t ? $"{t.TransactionId}@{t.LineNumber}" : $"{result.Error!.Id}@{result.Error.LineNumber}";

    private static TransactionCsvOptions Options(bool parseAhead = false) => new() { MaxRecordSize = Limit, ParseAhead = parseAhead };

    private static string[] ReadOnce(byte[] bytes, bool parseAhead = false)
    {
        using var reader = new TransactionCsvReader(new MemoryStream(bytes), "t.csv", Options(parseAhead));
        return reader.ReadAll().Select(Describe).ToArray();
    }

    // Appends the bytes to a file in pieces whose sizes the seed chooses (all at once for seed 0), looking at it after each.
    private static string[] Follow(byte[] bytes, int seed)
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("followed.csv");
        File.WriteAllBytes(path, []);
        var events = new List<SourceEvent>();
        var random = new Random(seed);
        using (var file = new FollowedFile(path, Options(), skipThroughLine: 0))
        using (var writer = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
            for (var offset = 0; offset < bytes.Length;)
            {
                var count = seed == 0 ? bytes.Length : Math.Min(bytes.Length - offset, random.Next(4) == 0 ? random.Next(1, 8) : random.Next(1, 3 * Limit));
                writer.Write(bytes, offset, count);
                writer.Flush();
                offset += count;
                while (file.Poll(events, checkReplacement: false))
                {
                }
            }
        }
        Assert.DoesNotContain(events, e => e.Kind != SourceEventKind.Record);
        return events.Select(e => Describe(e.Result)).ToArray();
    }

    private static string Record(string id, int bytes)
    {
        // id,C1,9000,"note" and a line end: the note fills the record to exactly the given size.
        var start = id + ",C1,9000,\"";
        return start + new string('n', bytes - start.Length - 2) + "\"\n";
    }

    private static string Mixed =>
        Header
        + "1,C1,9000,small\n"
        + Record("2", Limit)
        + Record("3", Limit + 1)
        + "4,C4,9100,\"" + string.Concat(Enumerable.Repeat("a line of a long quoted note\n", 3000 / 29)) + "\"\n"
        + "5,C5,9200,fine\r\n"
        + "\n\n"
        + "6,C\"6,9300,stray quote\n"
        + "7,C7,9400\n"
        + "8,C8,\"" + new string('x', 100 * 1024) + "\",\n"
        + Record("9", Limit)
        + "10,C10,x,bad amount\n"
        + Record("11", Limit + 1)
        + Record("12", Limit + 1)
        + "13,C13,9500,last\n";

    private static readonly string[] s_mixedExpected =
    [
        "1@2", "2@3", "RecordTooLarge@4", "RecordTooLarge@5", "5@109", "MalformedCsv@112", "FieldCountMismatch@113",
        "RecordTooLarge@114", "9@115", "InvalidAmount@116", "RecordTooLarge@117", "RecordTooLarge@118", "13@119",
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_file_read_once_keeps_the_limit_exactly(bool parseAhead)
    {
        Assert.Equal(s_mixedExpected, ReadOnce(Encoding.UTF8.GetBytes(Mixed), parseAhead));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void A_followed_file_gives_what_the_file_read_once_gives_however_its_bytes_arrive(int seed)
    {
        var bytes = Encoding.UTF8.GetBytes(Mixed);

        Assert.Equal(ReadOnce(bytes), Follow(bytes, seed));
        Assert.Equal(s_mixedExpected, Follow(bytes, seed));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void Utf16_with_a_byte_order_mark_is_framed_alike_in_both_modes(int seed)
    {
        var text = Header + "1,C1,9000,small\n" + "2,C2,9000,\"" + new string('u', Limit) + "\"\n" + "3,C3,9100,after\n";
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray();

        Assert.Equal(["1@2", "RecordTooLarge@3", "3@4"], ReadOnce(bytes));
        Assert.Equal(ReadOnce(bytes), Follow(bytes, seed));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void A_header_over_the_limit_is_one_error_that_skips_the_file_in_both_modes(int seed)
    {
        var bytes = Encoding.UTF8.GetBytes("transaction_id,customer_id,amount," + new string('h', Limit) + "\n1,C1,9000,x\n");

        Assert.Equal(["RecordTooLarge@1"], ReadOnce(bytes));
        Assert.Equal(["RecordTooLarge@1"], Follow(bytes, seed));
    }

    [Fact]
    public void The_last_record_of_a_file_read_once_needs_no_line_end_and_is_held_to_the_limit_too()
    {
        Assert.Equal(["1@2", "2@3"], ReadOnce(Encoding.UTF8.GetBytes(Header + "1,C1,9000,a\n2,C2,9000,b")));
        var tooLarge = Header + "1,C1,9000,a\n" + Record("2", Limit + 2).TrimEnd('\n');
        Assert.Equal(["1@2", "RecordTooLarge@3"], ReadOnce(Encoding.UTF8.GetBytes(tooLarge)));
    }

    [Fact]
    public void A_quote_never_closed_is_too_large_once_past_the_limit_and_ends_the_file_in_both_modes()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "1,C1,9000,a\n2,C2,9000,\"open\n" + string.Concat(Enumerable.Range(3, 200).Select(i => $"{i},C{i},9000,x\n")));

        Assert.Equal(["1@2", "RecordTooLarge@3"], ReadOnce(bytes));
        // Followed, the record has not ended: it is read past, and reported once it ends, if ever.
        Assert.Equal(["1@2"], Follow(bytes, 1));
    }
}
