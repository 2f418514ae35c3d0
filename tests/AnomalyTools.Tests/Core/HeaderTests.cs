using System.Text;
using AnomalyTools.Sources;
using AnomalyTools.Sources.Csv;
using AnomalyTools.Sources.Files;
using Xunit;

namespace AnomalyTools.Tests.Core;

/// <summary>
/// A header that is not valid CSV ends the file with one error at its line: no data row is ever taken as the header.
/// A header of many repeated names is bound in linear time, and reading it honours cancellation.
/// </summary>
public class HeaderTests
{
    private const string Rows = "1,C1,9000\ntransaction_id,customer_id,amount\n2,C2,9500\n";

    // The last value says whether the header ends before the input does: a quote never closed runs to the end.
    public static TheoryData<string, string, long, bool> BadHeaders => new()
    {
        { "a stray quote", "transaction_id,cust\"omer_id,amount\n", 1, true },
        { "text after a closing quote", "\"transaction_id\"x,customer_id,amount\n", 1, true },
        { "a quote never closed", "\"transaction_id,customer_id,amount\n", 1, false },
        { "a doubled quote that leaves a field open", "transaction_id,\"customer_id\"\"x,amount\r\n", 1, false },
        { "a stray quote after blank lines", "\n\ntransaction_id,customer_id,am\"ount\n", 3, true },
        { "text after a closing quote with CRLF line ends", "transaction_id,\"customer_id\"x,amount\r\n", 1, true },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void A_header_that_is_not_valid_csv_is_one_error_at_its_line_and_skips_the_file(string what, string header, long line, bool headerEnds)
    {
        using var reader = new TransactionCsvReader(new MemoryStream(Encoding.UTF8.GetBytes(header + Rows)), "t.csv");

        var results = reader.ReadAll().ToArray();

        var error = Assert.Single(results).Error;
        Assert.True(error is { Id: ImportErrorId.MalformedCsv, SkipsFile: true }, $"{what} (the header ends before the input: {headerEnds})");
        Assert.Equal(line, error!.LineNumber);
    }

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void A_followed_file_whose_header_is_not_valid_csv_is_one_error_and_is_no_longer_followed(string what, string header, long line, bool headerEnds)
    {
        using var temp = new TempDirectory();
        var path = temp.File("followed.csv", header + Rows);
        using var file = new FollowedFile(path, new TransactionCsvOptions().Snapshot(), skipThroughLine: 0);
        var events = new List<SourceEvent>();

        file.Poll(events, checkReplacement: false);
        File.AppendAllText(path, "3,C3,9900\n");
        file.Poll(events, checkReplacement: false);

        if (!headerEnds)
        {
            // The header has not ended yet, so nothing is read under it.
            Assert.Empty(events);
            return;
        }
        var error = Assert.Single(events).Result.Error;
        Assert.True(error is { Id: ImportErrorId.MalformedCsv, SkipsFile: true }, what);
        Assert.Equal(line, error!.LineNumber);
        Assert.True(file.Ended);
    }

    [Fact]
    public void Forty_thousand_copies_of_a_name_are_each_renamed_once_to_a_name_of_their_own()
    {
        var header = new[] { "transaction_id", "customer_id", "amount" }.Concat(Enumerable.Repeat("merchant", 40_000)).ToArray();

        var binding = ColumnMap.Default.Bind(header);

        Assert.Equal(39_999, binding.Renamed.Count);
        Assert.Equal("merchant_40000", binding.Renamed[^1].NewName);
        Assert.Equal(40_000, binding.Attributes.Names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void A_renamed_copy_steps_over_names_the_header_already_has()
    {
        var binding = ColumnMap.Default.Bind(["transaction_id", "customer_id", "amount", "m", "M_2", "m", "m_3", "m", "M_2"]);

        Assert.Equal(["m", "M_2", "m_4", "m_3", "m_5", "M_2_2"], binding.Attributes.Names);
    }

    [Fact]
    public void Binding_a_header_stops_when_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => ColumnMap.Default.Bind(Enumerable.Repeat("a", 10_000).ToArray(), cancelled.Token));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reading_stops_when_cancelled_while_a_long_header_is_checked(bool parseAhead)
    {
        var text = "transaction_id,customer_id,amount" + string.Concat(Enumerable.Repeat(",merchant", 40_000)) + "\n1,C1,9000" + string.Concat(Enumerable.Repeat(",m", 40_000)) + "\n";
        using var stop = new CancellationTokenSource();
        var stream = new CancellingStream(new MemoryStream(Encoding.UTF8.GetBytes(text)), stop);
        using var reader = new TransactionCsvReader(stream, "t.csv", new TransactionCsvOptions { ParseAhead = parseAhead });
        var results = new List<ImportResult>();

        Assert.Throws<OperationCanceledException>(() =>
        {
            foreach (var result in reader.ReadAll(stop.Token)) results.Add(result);
        });
        Assert.Empty(results);
    }

    // Cancels once the first bytes have been read: as Ctrl+C pressed while the header is being checked.
    private sealed class CancellingStream(Stream inner, CancellationTokenSource stop) : Stream
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            stop.Cancel();
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
