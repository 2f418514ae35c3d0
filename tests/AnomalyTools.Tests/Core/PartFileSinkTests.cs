using System.Text;
using AnomalyTools.Sinks.Formats;
using AnomalyTools.Sinks.PartFiles;
using AnomalyTools.Sources;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace AnomalyTools.Tests.Core;

public class PartFileSinkTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Output => _temp.Combine("out");

    private static Transaction Transaction(string id, decimal amount, string customer = "C1", string? merchant = null)
    {
        var attributes = merchant is null
            ? AttributeMap.Empty
            : new AttributeMap(new AttributeSchema(["merchant"]), [merchant]);
        return new Transaction(id, customer, amount, new DateTimeOffset(2024, 3, 1, 8, 0, 0, TimeSpan.Zero), attributes, "in.csv", 2);
    }

    private string[] Files() => Directory.GetFiles(Output).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Output, name));

    [Fact]
    public void A_part_is_hidden_while_written_and_appears_whole_on_commit()
    {
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(Transaction("1002", 9582.15m, "C012"));
            sink.Write(Transaction("1036", 9622.80m, "C012"));
            Assert.Equal([".part-0-00000.inprogress"], Files());
            sink.Close();
        }

        Assert.Equal(["part-0-00000"], Files());
        Assert.Equal(Encoding.UTF8.GetBytes("1002, C012, 9582.15\n1036, C012, 9622.80\n"), Bytes("part-0-00000"));
    }

    [Fact]
    public void No_records_no_part()
    {
        new PartFileSink(new PartFileSinkOptions(Output)).Dispose();

        Assert.True(Directory.Exists(Output));
        Assert.Empty(Files());
    }

    [Fact]
    public void Numbering_continues_after_existing_parts_which_are_never_overwritten()
    {
        Directory.CreateDirectory(Output);
        File.WriteAllText(Path.Combine(Output, "part-0-00000"), "old\n");
        File.WriteAllText(Path.Combine(Output, "part-0-00007"), "old\n");
        File.WriteAllText(Path.Combine(Output, "part-1-00020"), "other subtask\n");
        File.WriteAllText(Path.Combine(Output, "notes.txt"), "unrelated\n");

        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(Transaction("1", 9000m));
            sink.Close();
        }

        Assert.Equal(["notes.txt", "part-0-00000", "part-0-00007", "part-0-00008", "part-1-00020"], Files());
        Assert.Equal("old\n", File.ReadAllText(Path.Combine(Output, "part-0-00007")));
    }

    [Fact]
    public void An_abandoned_in_progress_part_is_reported_rolled_back_and_its_number_not_reused()
    {
        Directory.CreateDirectory(Output);
        File.WriteAllText(Path.Combine(Output, "part-0-00000"), "done\n");
        File.WriteAllText(Path.Combine(Output, ".part-0-00001.inprogress"), "half a reco");
        File.WriteAllText(Path.Combine(Output, ".part-1-00003.inprogress"), "another subtask's");

        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            Assert.Equal([Path.Combine(Output, ".part-0-00001.inprogress")], sink.AbandonedParts);
            sink.Write(Transaction("1", 9000m));
            sink.Close();
        }

        Assert.Equal([".part-1-00003.inprogress", "part-0-00000", "part-0-00002"], Files());
        Assert.Equal("done\n", File.ReadAllText(Path.Combine(Output, "part-0-00000")));
    }

    [Fact]
    public void Parts_roll_by_size_without_splitting_a_record()
    {
        var line = "1000, C1, 9000.00\n";
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { MaxPartSize = line.Length * 2 }))
        {
            for (var i = 0; i < 5; i++) sink.Write(Transaction((1000 + i).ToString(), 9000.00m));
            Assert.Equal(2, sink.CommittedParts.Count);
            sink.Close();
        }

        Assert.Equal(["part-0-00000", "part-0-00001", "part-0-00002"], Files());
        Assert.Equal("1000, C1, 9000.00\n1001, C1, 9000.00\n", Encoding.UTF8.GetString(Bytes("part-0-00000")));
        Assert.Equal("1004, C1, 9000.00\n", Encoding.UTF8.GetString(Bytes("part-0-00002")));
    }

    [Fact]
    public void A_record_larger_than_the_part_size_gets_a_part_of_its_own()
    {
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { MaxPartSize = 5 }))
        {
            sink.Write(Transaction("1", 9000m));
            sink.Write(Transaction("2", 9000m));
            sink.Close();
        }

        Assert.Equal(["part-0-00000", "part-0-00001"], Files());
    }

    [Fact]
    public void Commit_ends_the_part_and_the_next_record_starts_another()
    {
        using var sink = new PartFileSink(new PartFileSinkOptions(Output));
        sink.Write(Transaction("1", 9000m));
        sink.Commit();
        sink.Commit();
        sink.Write(Transaction("2", 9000m));
        sink.Close();

        Assert.Equal(["part-0-00000", "part-0-00001"], Files());
        Assert.Throws<ObjectDisposedException>(() => sink.Write(Transaction("3", 9000m)));
    }

    [Fact]
    public void Csv_has_a_header_the_findings_and_neutralized_formulas()
    {
        var flagged = Transaction("=HYPERLINK(\"x\")", 9582.15m, "-C1", "Best, Buy").WithFindings([new Finding("Threshold", "amount 9582.15 exceeds the threshold 8000", 9582.15m, 8000m)]);
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { Format = OutputFormat.Csv }))
        {
            sink.Write(flagged);
            sink.Write(Transaction("2", -5m, "C2", "@home"));
            sink.Close();
        }

        Assert.Equal(
            "TransactionId,CustomerId,Amount,Timestamp,merchant,Rules,Findings,Source,LineNumber\n" +
            "\"'=HYPERLINK(\"\"x\"\")\",'-C1,9582.15,2024-03-01T08:00:00+00:00,\"Best, Buy\",Threshold,amount 9582.15 exceeds the threshold 8000,in.csv,2\n" +
            "2,C2,-5,2024-03-01T08:00:00+00:00,'@home,,,in.csv,2\n",
            Encoding.UTF8.GetString(Bytes("part-0-00000")));
    }

    [Fact]
    public void Csv_formulas_are_kept_when_neutralizing_is_off()
    {
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { Format = OutputFormat.Csv, NeutralizeFormulas = false }))
        {
            sink.Write(Transaction("=1+1", 1m));
            sink.Close();
        }

        Assert.StartsWith("=1+1,C1,", File.ReadAllLines(Path.Combine(Output, "part-0-00000"))[1]);
    }

    [Fact]
    public void Csv_starts_a_new_part_when_the_columns_change()
    {
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { Format = OutputFormat.Csv }))
        {
            sink.Write(Transaction("1", 1m, merchant: "a"));
            sink.Write(Transaction("2", 1m, merchant: "b"));
            sink.Write(Transaction("3", 1m));
            sink.Close();
        }

        Assert.Equal(["part-0-00000", "part-0-00001"], Files());
        Assert.Equal(3, File.ReadAllLines(Path.Combine(Output, "part-0-00000")).Length);
        Assert.Equal("TransactionId,CustomerId,Amount,Timestamp,Rules,Findings,Source,LineNumber", File.ReadAllLines(Path.Combine(Output, "part-0-00001"))[0]);
    }

    [Theory]
    [InlineData("\u0000")]
    [InlineData("\u0007")]
    [InlineData("\u001b")]
    [InlineData("\u000b")]
    [InlineData("\u000c")]
    [InlineData("\u007f")]
    [InlineData("\u0085")]
    [InlineData("\u009b")]
    [InlineData("\u2028")]
    [InlineData("\u2029")]
    [InlineData("\n")]
    [InlineData("\r")]
    public void Csv_quotes_every_field_that_holds_a_control_character(string control)
    {
        var attributes = new AttributeMap(new AttributeSchema(["note" + control]), ["a" + control + "b"]);
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { Format = OutputFormat.Csv }))
        {
            sink.Write(new Transaction("1" + control, "C" + control, 9000m, null, attributes, "in" + control + ".csv", 2));
            sink.Close();
        }

        Assert.Equal(
            $"TransactionId,CustomerId,Amount,Timestamp,\"note{control}\",Rules,Findings,Source,LineNumber\n" +
            $"\"1{control}\",\"C{control}\",9000,,\"a{control}b\",,,\"in{control}.csv\",2\n",
            Encoding.UTF8.GetString(Bytes("part-0-00000")));
    }

    [Fact]
    public void Csv_leaves_a_field_without_control_characters_delimiters_quotes_or_edge_spaces_unquoted()
    {
        var attributes = new AttributeMap(new AttributeSchema(["note"]), ["caf\u00e9 \u202e x"]);
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { Format = OutputFormat.Csv }))
        {
            sink.Write(new Transaction("1", "C 1", 9000m, null, attributes, "in.csv", 2));
            sink.Close();
        }

        Assert.EndsWith("\n1,C 1,9000,,caf\u00e9 \u202e x,,,in.csv,2\n", Encoding.UTF8.GetString(Bytes("part-0-00000")));
    }

    [Theory]
    [InlineData("Source", "Source_2")]
    [InlineData("source", "source_2")]
    [InlineData("Rules", "Rules_2")]
    [InlineData("Findings", "Findings_2")]
    [InlineData("LineNumber", "LineNumber_2")]
    [InlineData("TransactionId", "TransactionId_2")]
    [InlineData("CUSTOMERID", "CUSTOMERID_2")]
    [InlineData("Amount", "Amount_2")]
    [InlineData("timestamp", "timestamp_2")]
    public void Csv_renames_an_attribute_named_like_one_of_its_own_columns(string attribute, string renamed)
    {
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { Format = OutputFormat.Csv }))
        {
            sink.Write(new Transaction("1", "C1", 9000m, null, new AttributeMap(new AttributeSchema([attribute]), ["forged"]), "in.csv", 2));
            sink.Close();
        }

        var lines = File.ReadAllLines(Path.Combine(Output, "part-0-00000"));
        Assert.Equal($"TransactionId,CustomerId,Amount,Timestamp,{renamed},Rules,Findings,Source,LineNumber", lines[0]);
        Assert.Equal("1,C1,9000,,forged,,,in.csv,2", lines[1]);
    }

    [Fact]
    public void Csv_renames_past_names_already_taken_and_attributes_named_twice()
    {
        var schema = new AttributeSchema(["Source", "Source_2", "note", "NOTE", "note_2", "Rules_2", "Rules"]);
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { Format = OutputFormat.Csv }))
        {
            sink.Write(new Transaction("1", "C1", 9000m, null, new AttributeMap(schema, ["a", "b", "c", "d", "e", "f", "g"]), "in.csv", 2));
            sink.Write(new Transaction("2", "C1", 9000m, null, new AttributeMap(schema, ["a", "b", "c", "d", "e", "f", "g"]), "in.csv", 3));
            sink.Close();
        }

        var lines = File.ReadAllLines(Path.Combine(Output, "part-0-00000"));
        Assert.Equal(
            "TransactionId,CustomerId,Amount,Timestamp,Source_3,Source_2,note,NOTE_3,note_2,Rules_2,Rules_3,Rules,Findings,Source,LineNumber",
            lines[0]);
        Assert.Equal(3, lines.Length);
        AssertUniqueIgnoringCase(lines[0].Split(','));
    }

    [Fact]
    public void JsonLines_names_each_attribute_once_ignoring_case()
    {
        var schema = new AttributeSchema(["note", "NOTE", "note_2", "transactionId"]);
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { Format = OutputFormat.JsonLines }))
        {
            sink.Write(new Transaction("1", "C1", 9000m, null, new AttributeMap(schema, ["a", "b", "c", "forged"]), "in.csv", 2));
            sink.Close();
        }

        var line = Encoding.UTF8.GetString(Bytes("part-0-00000"));
        Assert.Contains("\"attributes\":{\"note\":\"a\",\"NOTE_3\":\"b\",\"note_2\":\"c\",\"transactionId\":\"forged\"}", line);
        JsonKeys.AssertUniqueInEveryObject(line);
        Assert.Equal("1", System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("transactionId").GetString());
    }

    private static void AssertUniqueIgnoringCase(IEnumerable<string> names)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Assert.All(names, name => Assert.True(seen.Add(name), $"'{name}' is named twice"));
    }

    [Fact]
    public void JsonLines_escapes_what_could_forge_a_record()
    {
        var sneaky = new Transaction("1\n{\"x\":1}", "C\"1", 9000.10m, null, new AttributeMap(new AttributeSchema(["note"]), ["a\\b\u0001\u2028"]), null, 0);
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { Format = OutputFormat.JsonLines }))
        {
            sink.Write(sneaky);
            sink.Close();
        }

        Assert.Equal(
            "{\"transactionId\":\"1\\n{\\\"x\\\":1}\",\"customerId\":\"C\\\"1\",\"amount\":9000.10,\"timestamp\":null,\"attributes\":{\"note\":\"a\\\\b\\u0001\\u2028\"},\"findings\":[],\"source\":null,\"lineNumber\":0}\n",
            Encoding.UTF8.GetString(Bytes("part-0-00000")));
    }

    [Fact]
    public void Text_escapes_line_breaks_and_backslashes_in_ids()
    {
        Assert.Equal("1\\n2\\\\3, C\\t1, 9000", new Transaction("1\n2\\3", "C\t1", 9000m).ToString());
    }

    [Theory]
    [InlineData("\u202e", "\\u202e")]
    [InlineData("\u202a\u202b\u202c\u202d", "\\u202a\\u202b\\u202c\\u202d")]
    [InlineData("\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069")]
    [InlineData("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c")]
    [InlineData("\u001b\u0007\u0085", "\\u001b\\u0007\\u0085")]
    public void Text_JsonLines_and_error_messages_escape_bidirectional_formatting_and_control_characters(string hostile, string escaped)
    {
        var transaction = new Transaction("1" + hostile, "C" + hostile, 9000m, null, new AttributeMap(new AttributeSchema(["note"]), ["n" + hostile]), null, 0);
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { Format = OutputFormat.JsonLines }))
        {
            sink.Write(transaction);
            sink.Close();
        }

        Assert.Equal($"1{escaped}, C{escaped}, 9000", transaction.ToString());
        Assert.Contains($"\"transactionId\":\"1{escaped}\",\"customerId\":\"C{escaped}\"", Encoding.UTF8.GetString(Bytes("part-0-00000")));
        Assert.Contains($"\"note\":\"n{escaped}\"", Encoding.UTF8.GetString(Bytes("part-0-00000")));
        Assert.Equal($"'a{escaped}'", ImportError.Quote("a" + hostile));
    }

    [Fact]
    public async Task Commit_from_another_thread_while_writing_loses_no_record()
    {
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            var writer = Task.Run(() =>
            {
                for (var i = 0; i < 20_000; i++) sink.Write(Transaction(i.ToString(), 9000m));
            });
            while (!writer.IsCompleted) sink.Commit();
            await writer;
            sink.Close();
        }

        var ids = OutputFolderContent.CommittedLines(Output).Select(line => int.Parse(line.Split(',')[0])).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 20_000), ids);
        Assert.DoesNotContain(Files(), name => name.EndsWith(".inprogress"));
    }

    [Theory]
    [InlineData("part-0-00000", true, 0, 0L, false)]
    [InlineData("part-3-123456", true, 3, 123456L, false)]
    [InlineData(".part-0-00002.inprogress", true, 0, 2L, true)]
    [InlineData("part-0-00002.inprogress", false, 0, 0L, false)]
    [InlineData(".part-0-00002", false, 0, 0L, false)]
    [InlineData("part-0-0001", false, 0, 0L, false)]
    public void Part_names_are_parsed_strictly(string name, bool valid, int subtask, long counter, bool inProgress)
    {
        Assert.Equal(valid, PartFileNames.TryParse(name, out var s, out var c, out var p));
        if (valid) Assert.Equal((subtask, counter, inProgress), (s, c, p));
    }

    [Fact]
    public void A_part_rolls_by_age_while_records_keep_arriving()
    {
        var clock = new FakeTimeProvider();
        using var sink = new PartFileSink(new PartFileSinkOptions(Output) { RolloverInterval = TimeSpan.FromSeconds(10), InactivityInterval = TimeSpan.FromHours(1), TimeProvider = clock });

        for (var i = 1; i <= 4; i++)
        {
            sink.Write(Transaction(i.ToString(), 9000m));
            clock.Advance(TimeSpan.FromSeconds(3));
        }

        Assert.Equal(["part-0-00000"], Files());
        Assert.Equal(Encoding.UTF8.GetBytes("1, C1, 9000\n2, C1, 9000\n3, C1, 9000\n4, C1, 9000\n"), Bytes("part-0-00000"));
        sink.Write(Transaction("5", 9000m));
        Assert.Equal([".part-0-00001.inprogress", "part-0-00000"], Files());
    }

    [Fact]
    public void A_part_rolls_by_inactivity_without_another_write()
    {
        var clock = new FakeTimeProvider();
        using var sink = new PartFileSink(new PartFileSinkOptions(Output) { RolloverInterval = TimeSpan.FromHours(1), InactivityInterval = TimeSpan.FromSeconds(10), TimeProvider = clock });
        sink.Write(Transaction("1", 9000m));
        clock.Advance(TimeSpan.FromSeconds(6));
        sink.Write(Transaction("2", 9001m));
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal([".part-0-00000.inprogress"], Files());

        clock.Advance(TimeSpan.FromSeconds(4));

        Assert.Equal(["part-0-00000"], Files());
        Assert.Equal(Encoding.UTF8.GetBytes("1, C1, 9000\n2, C1, 9001\n"), Bytes("part-0-00000"));
        sink.Write(Transaction("3", 9002m));
        Assert.Equal([".part-0-00001.inprogress", "part-0-00000"], Files());
    }

    [Fact]
    public void Processing_time_buckets_are_named_by_the_sinks_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 3, 1, 13, 59, 59, TimeSpan.Zero));
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { BucketBy = BucketBy.ProcessingTime, BucketFormat = "yyyy-MM-dd--HH", TimeProvider = clock }))
        {
            sink.Write(Transaction("1", 9000m));
            clock.Advance(TimeSpan.FromSeconds(1));
            sink.Write(Transaction("2", 9001m));
            sink.Close();
        }

        Assert.Equal(Encoding.UTF8.GetBytes("1, C1, 9000\n"), File.ReadAllBytes(Path.Combine(Output, "2024-03-01--13", "part-0-00000")));
        Assert.Equal(Encoding.UTF8.GetBytes("2, C1, 9001\n"), File.ReadAllBytes(Path.Combine(Output, "2024-03-01--14", "part-0-00001")));
    }

    [Fact]
    public void A_roll_on_time_that_fails_is_thrown_by_the_next_write()
    {
        var clock = new FakeTimeProvider();
        var sink = new PartFileSink(new PartFileSinkOptions(Output) { RolloverInterval = TimeSpan.FromSeconds(10), TimeProvider = clock });
        sink.Write(Transaction("1", 9000m));
        Directory.Delete(Output, recursive: true);

        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.ThrowsAny<IOException>(() => sink.Write(Transaction("2", 9000m)));
        Assert.ThrowsAny<IOException>(sink.Commit);
    }

    public void Dispose() => _temp.Dispose();
}
