using System.Text;
using AnomalyTools.Sources;
using AnomalyTools.Sources.Csv;
using Xunit;

namespace AnomalyTools.Tests.Core;

/// <summary>Duplicate column names, the records errors carry, the quarantine file and the error budget.</summary>
public class BadInputHandlingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static ImportResult[] Read(string csv, TransactionCsvOptions? options = null)
    {
        using var reader = new TransactionCsvReader(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "t.csv", options);
        return reader.ReadAll().ToArray();
    }

    [Theory]
    [InlineData(11, 11)]
    [InlineData(12, 11)]
    [InlineData(40000, 11)]
    [InlineData(3, 3)]
    public void A_header_that_repeats_names_many_times_gives_ten_warnings_and_one_for_the_rest(int repeats, int expectedWarnings)
    {
        var header = "transaction_id,customer_id,amount," + string.Join(",", Enumerable.Repeat("x", repeats + 1));
        var row = "1,C1,9000," + string.Join(",", Enumerable.Repeat("v", repeats + 1));

        var results = Read(header + "\n" + row + "\n");

        var warnings = results.Where(r => r.Error?.IsWarning == true).Select(r => r.Error!).ToArray();
        Assert.Equal(expectedWarnings, warnings.Length);
        Assert.All(warnings, w => Assert.Equal(ImportErrorId.DuplicateColumnName, w.Id));
        Assert.Contains("'x_" + (repeats + 1) + "'", warnings[^1].Message);
        if (repeats > 10) Assert.Contains(" " + (repeats - 10) + " more columns", warnings[^1].Message);
        Assert.Equal(repeats + 1, results.Single(r => r.Transaction != null).Transaction!.Attributes.Count);
    }

    [Theory]
    [InlineData("transaction_id,customer_id,amount,Transaction ID", "TransactionId", "Transaction ID")]
    [InlineData("transaction_id,customer_id,amount,CUSTOMER-ID", "CustomerId", "CUSTOMER-ID")]
    [InlineData("transaction_id,customer_id,amount,a m o u n t", "Amount", "a m o u n t")]
    [InlineData("transaction_id,customer_id,amount,timestamp,Time_Stamp", "Timestamp", "Time_Stamp")]
    public void Two_columns_that_match_one_field_give_a_warning_and_the_first_is_read(string header, string field, string other)
    {
        var columns = header.Split(',').Length;
        var row = "1,C1,9000" + (columns == 5 ? ",2024-03-01T00:00:00Z,666" : ",666");

        var results = Read(header + "\n" + row + "\n");

        var warning = Assert.Single(results, r => r.Error?.IsWarning == true).Error!;
        Assert.Equal(ImportErrorId.AmbiguousColumn, warning.Id);
        Assert.Contains(field, warning.Message);
        Assert.Contains("'" + other + "' (column " + columns + ")", warning.Message);
        var transaction = results.Single(r => r.Transaction != null).Transaction!;
        Assert.Equal(("1", "C1", 9000m), (transaction.TransactionId, transaction.CustomerId, transaction.Amount));
        Assert.Equal("666", transaction.Attributes[other]);
    }

    [Fact]
    public void A_header_whose_columns_each_match_one_field_gives_no_warning()
    {
        var results = Read("Transaction ID,Customer-Id,AMOUNT,time_stamp,transaction\n1,C1,9000,,x\n");

        Assert.DoesNotContain(results, r => r.Error != null);
    }

    [Fact]
    public void A_column_name_that_comes_again_is_renamed_with_a_warning_and_every_column_is_read()
    {
        var results = Read("transaction_id,customer_id,amount,merchant,Merchant,merchant_2,AMOUNT\n1,C1,9000,a,b,c,5\n");

        var warnings = results.Where(r => r.Error?.IsWarning == true).Select(r => r.Error!).ToArray();
        Assert.Equal([ImportErrorId.DuplicateColumnName, ImportErrorId.DuplicateColumnName], warnings.Select(w => w.Id));
        Assert.Contains("'Merchant'", warnings[0].Message);
        Assert.Contains("'Merchant_3'", warnings[0].Message);
        var transaction = results.Single(r => r.Transaction != null).Transaction!;
        Assert.Equal(9000m, transaction.Amount);
        Assert.Equal(["merchant", "Merchant_3", "merchant_2", "AMOUNT_2"], transaction.Attributes.Schema.Names);
        Assert.Equal(("a", "b", "c", "5"), (transaction.Attributes["merchant"], transaction.Attributes["merchant_3"], transaction.Attributes["merchant_2"], transaction.Attributes["amount_2"]));
    }

    [Fact]
    public void An_id_or_customer_of_whitespace_that_trimming_leaves_is_a_missing_value_and_the_next_rows_are_read()
    {
        // CsvHelper trims spaces and tabs; a no-break space or an ideographic space is still blank.
        var results = Read("transaction_id,customer_id,amount\n\u00A0,C1,5\n2,\u3000,6\n3,C3,7\n");

        Assert.Equal([(ImportErrorId.MissingRequiredValue, 2L), (ImportErrorId.MissingRequiredValue, 3L)],
            results.Where(r => r.Error != null).Select(r => (r.Error!.Id, r.Error.LineNumber)));
        Assert.Contains("'transaction_id'", results[0].Error!.Message);
        Assert.Contains("'customer_id'", results[1].Error!.Message);
        Assert.Equal("3", results.Single(r => r.Transaction != null).Transaction!.TransactionId);
    }

    [Fact]
    public void Row_errors_carry_the_record_as_it_is_in_the_file()
    {
        var results = Read("transaction_id,customer_id,amount,timestamp\n1,,5,\n2,C2,lots,\n3,C3,5,yesterday\n4,C4,5\n5,\"C\"5,5,\n");

        Assert.Equal(["1,,5,", "2,C2,lots,", "3,C3,5,yesterday", "4,C4,5", "5,\"C\"5,5,"], results.Select(r => r.Error!.RawRecord));
    }

    [Fact]
    public void The_quarantine_file_has_a_header_one_row_per_bad_record_and_no_live_formula()
    {
        var path = _temp.Combine("quarantine.csv");
        var errors = Read("transaction_id,customer_id,amount,merchant,merchant\n=1,C1,lots,\"a,b\",x\n2,C2,9000,shop,y\n").Select(r => r.Error).OfType<ImportError>().ToArray();

        using (var quarantine = new QuarantineWriter(path))
        {
            foreach (var error in errors) quarantine.Write(error);
        }

        var invalidAmount = errors.Single(e => !e.IsWarning);
        var expected = QuarantineWriter.Header + "\n"
            + "t.csv,2,InvalidAmount," + CsvField(invalidAmount.Message) + ",\"'=1,C1,lots,\"\"a,b\"\",x\"\n";
        Assert.Equal(Encoding.UTF8.GetBytes(expected), File.ReadAllBytes(path));
    }

    private static string CsvField(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    [Fact]
    public void The_quarantine_file_is_appended_to_and_a_file_that_is_not_one_is_left_alone()
    {
        var path = _temp.Combine("new folder", "quarantine.csv");
        var error = Read("transaction_id,customer_id,amount\n1,C1,x\n").Single().Error!;
        using (var first = new QuarantineWriter(path)) first.Write(error);
        using (var second = new QuarantineWriter(path)) second.Write(error);
        var input = _temp.File("data.csv", "transaction_id,customer_id,amount\n");

        Assert.Equal(3, File.ReadAllLines(path).Length);
        Assert.Throws<InvalidDataException>(() => new QuarantineWriter(input));
        Assert.Equal("transaction_id,customer_id,amount\n", File.ReadAllText(input));
    }

    [Fact]
    public void The_error_budget_counts_bad_records_and_judges_the_share_after_enough_records()
    {
        var byCount = new ErrorBudget(maxErrors: 2, maxErrorRate: null);
        Assert.False(byCount.CountError());
        Assert.False(byCount.CountError());
        Assert.True(byCount.CountError());

        var byRate = new ErrorBudget(maxErrors: null, maxErrorRate: 0.1);
        Assert.False(byRate.CountError());
        for (var i = 0; i < 89; i++) byRate.CountGood();
        Assert.False(byRate.CountError());
        Assert.False(byRate.IsExceededAtEndOfFile());
        for (var i = 0; i < 8; i++) Assert.False(byRate.CountError());
        Assert.True(byRate.CountError());
        Assert.Equal((100L, 11L), (byRate.Records, byRate.Errors));

        var small = new ErrorBudget(maxErrors: null, maxErrorRate: 0.1);
        small.CountGood();
        Assert.False(small.CountError());
        Assert.True(small.IsExceededAtEndOfFile());
    }

    public void Dispose() => _temp.Dispose();
}
