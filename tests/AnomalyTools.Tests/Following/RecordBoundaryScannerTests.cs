using System.Text;
using AnomalyTools.Sources.Csv;
using Xunit;

namespace AnomalyTools.Tests.Following;

public class RecordBoundaryScannerTests
{
    private sealed class Feed(Encoding? encoding = null, bool bigEndian = false)
    {
        private readonly Encoding _encoding = encoding ?? new UTF8Encoding(false);
        private byte[] _bytes = [];

        public RecordBoundaryScanner Scanner { get; } =
            new(',', encoding is UnicodeEncoding ? 2 : 1, bigEndian, start: 0);

        public string Append(string text, bool stopAfterFirstRecord = false)
        {
            _bytes = [.. _bytes, .. _encoding.GetBytes(text)];
            Scanner.Scan(_bytes, _bytes.Length, stopAfterFirstRecord);
            return Complete;
        }

        public string Complete => _encoding.GetString(_bytes, 0, Scanner.Boundary);
    }

    // Every boundary ScanToNextBoundary stops at, the input given whole or a byte at a time.
    private static List<(int Boundary, int Lines)> Boundaries(byte[] bytes, bool byteAtATime, char delimiter = ',')
    {
        var scanner = new RecordBoundaryScanner(delimiter, unitWidth: 1, bigEndian: false, start: 0);
        var found = new List<(int, int)>();
        for (var end = byteAtATime ? 1 : bytes.Length; end <= bytes.Length; end++)
        {
            while (scanner.ScanToNextBoundary(bytes, end)) found.Add((scanner.Boundary, scanner.LinesToBoundary));
        }
        return found;
    }

    [Theory]
    [InlineData("id,note\n1,\"a,b\nc\"\"d\"\n\n2,plain\r\n3,x\"y,\"q\"\n", new[] { 8, 21, 22, 31, 41 })]
    [InlineData("id\r\n\"\r\n\",\"\"\"\"\rlast\n", new[] { 4, 14, 19 })]
    [InlineData("a,b\n  \"quoted after spaces\n still\",x\n", new[] { 4, 37 })]
    public void Each_record_end_is_found_however_the_bytes_arrive(string text, int[] boundaries)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        var whole = Boundaries(bytes, byteAtATime: false);

        Assert.Equal(boundaries, whole.Select(b => b.Boundary));
        Assert.Equal(whole, Boundaries(bytes, byteAtATime: true));
    }

    // Fields outside quotes are passed over several at a time: a quote after a delimiter and blanks still opens a
    // quoted field, one inside a field does not, and with a blank as the delimiter a quote after it opens one.
    [Theory]
    [InlineData(',', new[] { "id,note\n", "1,  \"a,\nb\",x\n", "2,p\"q,r\n", "  ,\t\n", "3,\"s\"\n" })]
    [InlineData(';', new[] { "id;note\n", "1;  \"a;\nb\";x\n", "2;p\"q;r\n", "  ;\t\n", "3;\"s\"\n" })]
    [InlineData('|', new[] { "id|note\n", "1|\t\"a|\r\nb\"|x\r\n", "2|p\"q|r\r\n", "3|\"s\"\r\n" })]
    [InlineData('\t', new[] { "id\tnote\n", "1\t  \"a\t\nb\"\tx\n", "2\tp\"q\tr\n", "3\t\"s\"\n" })]
    [InlineData(' ', new[] { "id note\n", "1 \t\"a \nb\" x\n", "2 p\"q r\n", "p \"q\nr\"\n" })]
    public void Fields_passed_together_leave_the_quoting_state_each_delimiter_gives(char delimiter, string[] records)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Concat(records));
        var expected = records.Select((_, i) => records.Take(i + 1).Sum(record => Encoding.UTF8.GetByteCount(record)));

        var whole = Boundaries(bytes, byteAtATime: false, delimiter);

        Assert.Equal(expected, whole.Select(b => b.Boundary));
        Assert.Equal(whole, Boundaries(bytes, byteAtATime: true, delimiter));
    }

    [Theory]
    [InlineData(",\n", true)]
    [InlineData(" \t \n", false)]
    [InlineData(" \t x\n", true)]
    [InlineData("\t\"\"\n", true)]
    public void A_record_of_blanks_alone_has_no_content_and_a_delimiter_is_content(string record, bool hasContent)
    {
        var bytes = Encoding.UTF8.GetBytes(record);
        var scanner = new RecordBoundaryScanner(',', unitWidth: 1, bigEndian: false, start: 0);

        Assert.True(scanner.ScanToNextBoundary(bytes, bytes.Length));
        Assert.Equal(hasContent, scanner.LastRecordHadContent);
    }

    [Fact]
    public void A_half_written_line_is_held_back_until_its_line_end_arrives()
    {
        var feed = new Feed();

        Assert.Equal("id,amount\n", feed.Append("id,amount\n1,90"));
        Assert.Equal("id,amount\n", feed.Append("00"));
        Assert.Equal("id,amount\n1,9000.00\n", feed.Append(".00\n2,"));
        Assert.Equal(2, feed.Scanner.LinesToBoundary);
    }

    [Fact]
    public void A_quoted_line_break_does_not_end_the_record_until_the_quote_closes()
    {
        var feed = new Feed();

        Assert.Equal("", feed.Append("1,\"multi\n"));
        Assert.Equal("", feed.Append("line \"\"quoted\"\"\n"));
        Assert.Equal("1,\"multi\nline \"\"quoted\"\"\n\",x\n", feed.Append("\",x\n"));
        Assert.Equal(3, feed.Scanner.LinesToBoundary);
    }

    [Fact]
    public void A_quote_inside_an_unquoted_field_is_text_and_opens_nothing()
    {
        var feed = new Feed();

        Assert.Equal("1,ab\"c,2\n", feed.Append("1,ab\"c,2\n"));
    }

    [Fact]
    public void Leading_spaces_before_a_quote_still_open_a_quoted_field()
    {
        var feed = new Feed();

        Assert.Equal("", feed.Append("1,  \"a\nb"));
        Assert.Equal("1,  \"a\nb\"\n", feed.Append("\"\n"));
    }

    [Fact]
    public void A_crlf_split_between_writes_is_one_line_end()
    {
        var feed = new Feed();

        Assert.Equal("", feed.Append("1,x\r"));
        Assert.Equal("1,x\r\n", feed.Append("\n2"));
        Assert.Equal(1, feed.Scanner.LinesToBoundary);
    }

    [Fact]
    public void A_lone_carriage_return_ends_a_line_once_the_next_unit_shows_no_line_feed_follows()
    {
        var feed = new Feed();

        Assert.Equal("", feed.Append("1,x\r"));
        Assert.Equal("1,x\r", feed.Append("2,y\r"));
        Assert.Equal(1, feed.Scanner.LinesToBoundary);
    }

    [Fact]
    public void Stops_after_the_first_record_with_content_and_counts_the_blank_lines_before_it()
    {
        var feed = new Feed();

        Assert.Equal("\n \nid,amount\n", feed.Append("\n \nid,amount\n1,5\n", stopAfterFirstRecord: true));
        Assert.Equal(3, feed.Scanner.LinesToBoundary);
    }

    [Fact]
    public void Consume_and_shift_start_the_count_afresh_and_follow_moved_bytes()
    {
        var feed = new Feed();
        feed.Append("1,x\n2,y\n3,");
        Assert.Equal(2, feed.Scanner.LinesToBoundary);

        feed.Scanner.Consume();
        feed.Scanner.Shift(8);

        Assert.Equal((0, 2, 0), (feed.Scanner.Boundary, feed.Scanner.Position, feed.Scanner.LinesToBoundary));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Scans_utf16_code_units(bool bigEndian)
    {
        var feed = new Feed(new UnicodeEncoding(bigEndian, byteOrderMark: false), bigEndian);

        Assert.Equal("", feed.Append("1,\"ā\n"));
        Assert.Equal("1,\"ā\nਊ\"\n", feed.Append("ਊ\"\n2,"));
    }
}
