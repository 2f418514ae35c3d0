using System.Text;
using System.Text.Json;
using AnomalyTools.Sinks.Formats;
using AnomalyTools.Sinks.PartFiles;
using AnomalyTools.Sources;
using Xunit;

namespace AnomalyTools.Tests.Core;

/// <summary>The JSON object of one transaction, as a sink other than part files (an alert topic) takes it.</summary>
public class JsonLinesRecordFormatterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static Transaction Flagged(string id, string customer, string note)
    {
        var transaction = new Transaction(id, customer, 9000.10m, new DateTimeOffset(2024, 3, 1, 8, 0, 0, TimeSpan.FromHours(1)),
            new AttributeMap(new AttributeSchema(["note", "NOTE"]), [note, "second"]), "in.csv", 7);
        var settings = new Dictionary<string, string> { ["Threshold"] = "8000" };
        return transaction.WithFindings([
            new Finding("Threshold", "amount 9000.10 exceeds the threshold 8000", 9000.10m, 8000m, settings),
            new Finding("Outlier", "far above", 9000.10m, 120.5m, null, new CustomerBaseline(10, 100.25, 7.5)),
        ]);
    }

    private byte[] PartLine(Transaction transaction)
    {
        var output = _temp.Combine("out");
        using (var sink = new PartFileSink(new PartFileSinkOptions(output) { Format = OutputFormat.JsonLines }))
        {
            sink.Write(transaction);
            sink.Close();
        }
        return File.ReadAllBytes(Path.Combine(output, "part-0-00000"));
    }

    public static TheoryData<string> HostileValues => new()
    {
        "plain",
        "a \"quoted\" word",
        "back\\slash",
        "line\nbreak\rand\ttab",
        "nul\u0000 esc\u001b[2J bel\u0007 del\u007f c1\u0085",
        "separators\u2028and\u2029",
        "bidi\u202eevil\u2066",
        "lone high \ud800 surrogate",
        "lone low \udc00 surrogate",
        "\"},\"transactionId\":\"forged",
        "emoji \ud83d\ude00 and é",
    };

    [Theory]
    [MemberData(nameof(HostileValues), DisableDiscoveryEnumeration = true)]
    public void The_object_is_the_line_a_JsonLines_part_holds_without_its_line_end(string hostile)
    {
        var transaction = Flagged("1" + hostile, "C" + hostile, "n" + hostile);

        byte[] line = [.. new JsonLinesRecordFormatter().FormatObject(transaction), (byte)'\n'];

        Assert.Equal(PartLine(transaction), line);
    }

    [Theory]
    [MemberData(nameof(HostileValues), DisableDiscoveryEnumeration = true)]
    public void The_appended_object_is_the_formatted_one(string hostile)
    {
        var transaction = Flagged("1" + hostile, "C" + hostile, "n" + hostile);
        var text = new StringBuilder("before ");

        new JsonLinesRecordFormatter().AppendObject(text, transaction);

        Assert.Equal("before " + Encoding.UTF8.GetString(new JsonLinesRecordFormatter().FormatObject(transaction)),
            text.ToString().Replace("\ud800", "\ufffd").Replace("\udc00", "\ufffd"));
    }

    [Theory]
    [MemberData(nameof(HostileValues), DisableDiscoveryEnumeration = true)]
    public void Hostile_data_stays_inside_its_string_of_one_object_on_one_line(string hostile)
    {
        var bytes = new JsonLinesRecordFormatter().FormatObject(Flagged("1" + hostile, "C" + hostile, "n" + hostile));

        Assert.DoesNotContain((byte)'\n', bytes);
        Assert.DoesNotContain((byte)'\r', bytes);
        var json = JsonDocument.Parse(bytes).RootElement;
        var readable = hostile.Replace("\ud800", "\ufffd").Replace("\udc00", "\ufffd");
        Assert.Equal("1" + readable, json.GetProperty("transactionId").GetString());
        Assert.Equal("C" + readable, json.GetProperty("customerId").GetString());
        Assert.Equal("n" + readable, json.GetProperty("attributes").GetProperty("note").GetString());
        JsonKeys.AssertUniqueInEveryObject(Encoding.UTF8.GetString(bytes));
    }

    [Theory]
    [InlineData("\"", "\\\"")]
    [InlineData("\\", "\\\\")]
    [InlineData("\n", "\\n")]
    [InlineData("\u0001", "\\u0001")]
    [InlineData("\u2028", "\\u2028")]
    [InlineData("\u202e", "\\u202e")]
    public void Each_character_that_could_break_out_is_escaped_as_the_format_does(string hostile, string written)
    {
        var bytes = new JsonLinesRecordFormatter().FormatObject(new Transaction("1", "C1", 1m, null, AttributeMap.Empty, null, 0).WithFindings(
            [new Finding("Threshold", "m" + hostile, 1m, 0m)]));

        Assert.Contains("\"message\":\"m" + written + "\",", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void A_lone_surrogate_stays_in_the_text_and_is_the_replacement_character_in_UTF8_as_in_a_part()
    {
        // Built at run time: a test case's attribute arguments are stored in UTF-8, which cannot hold a lone surrogate.
        var lone = new string((char)0xD800, 1);
        var transaction = new Transaction("1" + lone, "C1", 9000m, null, AttributeMap.Empty, null, 0);
        var text = new StringBuilder();

        new JsonLinesRecordFormatter().AppendObject(text, transaction);
        var bytes = new JsonLinesRecordFormatter().FormatObject(transaction);

        Assert.StartsWith("{\"transactionId\":\"1" + lone + "\",", text.ToString());
        Assert.StartsWith("{\"transactionId\":\"1\ufffd\",", Encoding.UTF8.GetString(bytes));
        Assert.Equal(Encoding.UTF8.GetBytes("\"1\ufffd\""), bytes.AsSpan(17, 6).ToArray());
    }

    [Fact]
    public void The_object_has_every_field_in_a_fixed_order()
    {
        var text = Encoding.UTF8.GetString(new JsonLinesRecordFormatter().FormatObject(Flagged("1", "C1", "n")));

        Assert.Equal(
            "{\"transactionId\":\"1\",\"customerId\":\"C1\",\"amount\":9000.10,\"timestamp\":\"2024-03-01T08:00:00+01:00\","
            + "\"attributes\":{\"note\":\"n\",\"NOTE_2\":\"second\"},\"findings\":["
            + "{\"rule\":\"Threshold\",\"message\":\"amount 9000.10 exceeds the threshold 8000\",\"value\":9000.10,\"limit\":8000,\"settings\":{\"Threshold\":\"8000\"},\"baseline\":null},"
            + "{\"rule\":\"Outlier\",\"message\":\"far above\",\"value\":9000.10,\"limit\":120.5,\"settings\":{},\"baseline\":{\"count\":10,\"mean\":100.25,\"standardDeviation\":7.5}}"
            + "],\"source\":\"in.csv\",\"lineNumber\":7}",
            text);
    }

    public void Dispose() => _temp.Dispose();
}
