using System.Text;
using AnomalyTools.Sources;
using AnomalyTools.Sources.Csv;
using Xunit;

namespace AnomalyTools.Tests.Core;

public class TransactionCsvReaderTests
{
    private static ImportResult[] Read(string csv, TransactionCsvOptions? options = null, Encoding? encoding = null) =>
        Read((encoding ?? new UTF8Encoding(false)).GetPreamble().Concat((encoding ?? Encoding.UTF8).GetBytes(csv)).ToArray(), options);

    private static ImportResult[] Read(byte[] bytes, TransactionCsvOptions? options = null)
    {
        using var reader = new TransactionCsvReader(new MemoryStream(bytes), "t.csv", options);
        return reader.ReadAll().ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Text_fields_of_any_length_and_script_come_back_exactly_in_both_encodings(bool utf16)
    {
        var longMerchant = string.Concat(Enumerable.Repeat("Ünïcödé 商店 🛒 ", 40));
        var csv = "transaction_id,merchant,customer_id,note,amount,category\n" +
            "tx-é1,\"Say \"\"hi\"\", Inc.\",Ç-007,,9000.01,café\n" +
            $"2,\"{longMerchant}\",C2,🛒,1,\n";

        var transactions = Read(csv, encoding: utf16 ? Encoding.Unicode : null).Select(r => r.Transaction!).ToArray();
        var flagged = transactions[0].WithFindings([new Finding("Threshold", "above 8000", 9000.01m, 8000m)]);

        Assert.Equal(("tx-é1", "Ç-007"), (flagged.TransactionId, flagged.CustomerId));
        Assert.Equal(["Say \"hi\", Inc.", "", "café"], transactions[0].Attributes.Values);
        Assert.Equal(["merchant", "note", "category"], transactions[0].Attributes.Keys);
        Assert.Equal(("2", "C2"), (transactions[1].TransactionId, transactions[1].CustomerId));
        Assert.Equal([longMerchant, "🛒", ""], transactions[1].Attributes.Values);
        Assert.Same(transactions[1].Attributes, transactions[1].Attributes);
    }

    [Fact]
    public void Reads_typed_transactions_with_attributes_and_their_lines()
    {
        var results = Read("transaction_id,customer_id,amount,timestamp,merchant\n1002,C012,9582.15,2024-03-01T08:34:00Z,Best Buy\n1003,C007,12.00,,Shell\n");

        var first = results[0].Transaction!;
        Assert.Equal(("1002", "C012", 9582.15m), (first.TransactionId, first.CustomerId, first.Amount));
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 8, 34, 0, TimeSpan.Zero), first.Timestamp);
        Assert.Equal("Best Buy", first.Attributes["MERCHANT"]);
        Assert.Equal(("t.csv", 2L), (first.Source, first.LineNumber));
        var second = results[1].Transaction!;
        Assert.Null(second.Timestamp);
        Assert.Equal("12.00", second.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3L, second.LineNumber);
    }

    [Fact]
    public void Quoted_fields_hold_delimiters_quotes_and_line_breaks()
    {
        var results = Read("transaction_id,customer_id,amount,note\n1,C1,5.00,\"a, \"\"b\"\"\nc\"\n2,C2,6.00,plain\n");

        Assert.Equal("a, \"b\"\nc", results[0].Transaction!.Attributes["note"]);
        Assert.Equal(2L, results[0].Transaction!.LineNumber);
        Assert.Equal(4L, results[1].Transaction!.LineNumber);
    }

    [Fact]
    public void Reads_crlf_and_a_utf8_byte_order_mark()
    {
        var results = Read("transaction_id,customer_id,amount\r\n1,C1,8000.01\r\n2,Ç2,1\r\n", encoding: new UTF8Encoding(true));

        Assert.Equal(["1", "2"], results.Select(r => r.Transaction!.TransactionId));
        Assert.Equal("Ç2", results[1].Transaction!.CustomerId);
    }

    [Fact]
    public void Reads_utf16_with_a_byte_order_mark()
    {
        var results = Read("transaction_id,customer_id,amount\n1,Zoë,3.50\n", encoding: new UnicodeEncoding(false, true));

        Assert.Equal("Zoë", results.Single().Transaction!.CustomerId);
    }

    [Fact]
    public void Reads_another_delimiter()
    {
        var results = Read("transaction_id;customer_id;amount\n1;C1;2.5\n", new TransactionCsvOptions { Delimiter = ';' });

        Assert.Equal(2.5m, results.Single().Transaction!.Amount);
    }

    [Fact]
    public void A_bad_row_is_an_error_value_naming_file_line_and_column_and_reading_goes_on()
    {
        var results = Read("transaction_id,customer_id,amount,timestamp\n1,,5,\n2,C2,1e4,\n3,C3,7,tomorrow\n4,C4,9000,\n,C5,1,\n");

        Assert.Equal(
            [ImportErrorId.MissingRequiredValue, ImportErrorId.InvalidAmount, ImportErrorId.InvalidTimestamp],
            results.Take(3).Select(r => r.Error!.Id));
        Assert.Equal([2L, 3L, 4L], results.Take(3).Select(r => r.Error!.LineNumber));
        Assert.Contains("t.csv:3", results[1].Error!.Message);
        Assert.Contains("'1e4'", results[1].Error!.Message);
        Assert.Contains("'amount'", results[1].Error!.Message);
        Assert.Equal("4", results[3].Transaction!.TransactionId);
        Assert.Equal(ImportErrorId.MissingRequiredValue, results[4].Error!.Id);
        Assert.Contains("'transaction_id'", results[4].Error!.Message);
    }

    [Fact]
    public void Parsing_ahead_on_a_thread_of_its_own_gives_the_same_results_in_file_order()
    {
        // Enough records for many batches, with every kind of bad row spread through them.
        var csv = new StringBuilder("transaction_id,customer_id,amount,timestamp,merchant\n");
        for (var i = 1; i <= 60_000; i++)
        {
            csv.Append((i % 997) switch
            {
                1 => $"{i},C{i % 50}\n",
                2 => $"{i},C{i % 50},1e4,2024-03-01T08:00:00Z,x\n",
                3 => $"{i},C\"{i},5,2024-03-01T08:00:00Z,x\n",
                4 => $"{i},C{i % 50},5,yesterday,x\n",
                _ => $"{i},C{i % 50},{i}.25,2024-03-01T08:00:{i % 60:00}Z,\"M, {i % 7}\"\n",
            });
        }
        static string Describe(ImportResult r) => r.Transaction is { } t
            ? $"{t.LineNumber} {t.TransactionId} {t.CustomerId} {t.Amount} {t.Timestamp:o} {t.Attributes["merchant"]}"
            : $"{r.Error!.LineNumber} {r.Error.Id}";

        var expected = Read(csv.ToString(), new TransactionCsvOptions { ParseAhead = false }).Select(Describe).ToArray();
        var results = Read(csv.ToString(), new TransactionCsvOptions { ParseAhead = true }).Select(Describe).ToArray();

        Assert.Equal(60_000, results.Length);
        Assert.Equal(expected, results);
        Assert.Equal(["2 FieldCountMismatch", "3 InvalidAmount", "4 MalformedCsv", "5 InvalidTimestamp"], results.Take(4));
        Assert.Equal("6 5 C5 5.25 2024-03-01T08:00:05.0000000+00:00 M, 5", results[4]);
    }

    [Fact]
    public void Ragged_and_malformed_rows_are_errors_in_file_order()
    {
        var results = Read("transaction_id,customer_id,amount\n1,C1,5\n2,C2\n3,C3,6,extra\n4,C\"4,7\n5,C5,8\n");

        Assert.Equal("1", results[0].Transaction!.TransactionId);
        Assert.Equal((ImportErrorId.FieldCountMismatch, 3L), (results[1].Error!.Id, results[1].Error!.LineNumber));
        Assert.Equal((ImportErrorId.FieldCountMismatch, 4L), (results[2].Error!.Id, results[2].Error!.LineNumber));
        Assert.Equal((ImportErrorId.MalformedCsv, 5L), (results[3].Error!.Id, results[3].Error!.LineNumber));
        Assert.Equal("5", results[4].Transaction!.TransactionId);
        Assert.Equal(5, results.Length);
    }

    [Fact]
    public void A_header_without_a_required_column_is_one_error_that_names_the_columns_found()
    {
        var results = Read("id,customer_id,value\n1,C1,5\n");

        var error = Assert.Single(results).Error!;
        Assert.Equal(ImportErrorId.MissingRequiredColumn, error.Id);
        Assert.Equal(0L, error.LineNumber);
        Assert.Contains("'transaction_id', 'amount'", error.Message);
        Assert.Contains("'id', 'customer_id', 'value'", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("transaction_id,customer_id,amount\n")]
    [InlineData("transaction_id,customer_id,amount")]
    public void An_empty_file_or_a_header_alone_has_no_transactions_and_no_errors(string csv)
    {
        Assert.Empty(Read(csv));
    }

    [Fact]
    public void Spaces_around_unquoted_values_are_trimmed_and_empty_lines_skipped_without_losing_line_numbers()
    {
        var results = Read("transaction_id, customer_id, amount\n 1 , C1 , 9000.50 \n\n2,\" C2 \",3\n");

        Assert.Equal(("1", "C1", 9000.50m, 2L), (results[0].Transaction!.TransactionId, results[0].Transaction!.CustomerId, results[0].Transaction!.Amount, results[0].Transaction!.LineNumber));
        Assert.Equal((" C2 ", 4L), (results[1].Transaction!.CustomerId, results[1].Transaction!.LineNumber));
        Assert.Equal(2, results.Length);
    }

    [Fact]
    public void A_last_line_without_a_newline_is_read()
    {
        Assert.Equal(7m, Read("transaction_id,customer_id,amount\n1,C1,7").Single().Transaction!.Amount);
    }

    [Fact]
    public void Long_values_are_cut_in_messages_and_control_characters_escaped()
    {
        var error = Read("transaction_id,customer_id,amount\n1,C1,\"" + new string('9', 30) + "x\t" + new string('9', 100) + "\"\n").Single().Error!;

        Assert.Equal(ImportErrorId.InvalidAmount, error.Id);
        Assert.Contains("x\\t", error.Message);
        Assert.Contains("(132 characters)", error.Message);
    }
}
