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
}
