using AnomalyTools.Sources;
using Xunit;

namespace AnomalyTools.Tests.Core;

public class TransactionConverterTests
{
    private static ImportResult Convert(params (string Name, object? Value)[] properties) =>
        TransactionConverter.Convert(properties.Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)).ToArray(), "pipeline input", 3);

    [Fact]
    public void Strings_as_Import_Csv_makes_them_become_a_typed_transaction()
    {
        var transaction = Convert(("transaction_id", "1002"), ("customer_id", "C012"), ("amount", "9582.15"), ("timestamp", "2024-03-01T08:34:00Z"), ("merchant", "Best Buy")).Transaction!;

        Assert.Equal(("1002", "C012", 9582.15m), (transaction.TransactionId, transaction.CustomerId, transaction.Amount));
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 8, 34, 0, TimeSpan.Zero), transaction.Timestamp);
        Assert.Equal("Best Buy", transaction.Attributes["merchant"]);
        Assert.Equal(("pipeline input", 3L), (transaction.Source, transaction.LineNumber));
    }

    [Fact]
    public void Numbers_and_dates_are_taken_as_they_are_and_doubles_by_their_shortest_text()
    {
        var transaction = Convert(("TransactionId", 1002), ("CustomerId", "C1"), ("Amount", 9582.15d), ("Timestamp", new DateTime(2024, 3, 1, 8, 0, 0, DateTimeKind.Utc))).Transaction!;

        Assert.Equal("1002", transaction.TransactionId);
        Assert.Equal(9582.15m, transaction.Amount);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 8, 0, 0, TimeSpan.Zero), transaction.Timestamp);
    }

    [Fact]
    public void Bad_values_are_errors_with_the_same_ids_as_csv_rows()
    {
        Assert.Equal(ImportErrorId.InvalidAmount, Convert(("transaction_id", "1"), ("customer_id", "C1"), ("amount", "lots")).Error!.Id);
        Assert.Equal(ImportErrorId.MissingRequiredValue, Convert(("transaction_id", "1"), ("customer_id", null), ("amount", "1")).Error!.Id);
        Assert.Equal(ImportErrorId.MissingRequiredValue, Convert(("transaction_id", "1"), ("customer_id", "C1"), ("amount", "")).Error!.Id);
        Assert.Equal(ImportErrorId.InvalidTimestamp, Convert(("transaction_id", "1"), ("customer_id", "C1"), ("amount", "1"), ("timestamp", "soon")).Error!.Id);
        Assert.Equal(ImportErrorId.MissingRequiredColumn, Convert(("id", "1"), ("amount", "1")).Error!.Id);
    }
    [Theory]
    [InlineData(0.00001d, "0.00001")]
    [InlineData(-0.000015d, "-0.000015")]
    [InlineData(1.5e-20d, "0.000000000000000000015")]
    [InlineData(2500000000000000.5d, "2500000000000000.5")]
    [InlineData(1e21d, "1000000000000000000000")]
    [InlineData(9582.15d, "9582.15")]
    public void Doubles_written_with_an_exponent_are_the_amount_they_stand_for(double amount, string expected)
    {
        var transaction = Convert(("transaction_id", "1"), ("customer_id", "C1"), ("amount", amount)).Transaction!;

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), transaction.Amount);
        Assert.Equal(expected, transaction.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(1e-30d, "0.000000000000000000000000000001")]
    [InlineData(1e30d, "1000000000000000000000000000000")]
    public void Doubles_a_decimal_cannot_hold_are_refused_and_quoted_without_an_exponent(double amount, string quoted)
    {
        var error = Convert(("transaction_id", "1"), ("customer_id", "C1"), ("amount", amount)).Error!;

        Assert.Equal(ImportErrorId.InvalidAmount, error.Id);
        Assert.Contains("'" + quoted + "'", error.Message, StringComparison.Ordinal);
    }
}
