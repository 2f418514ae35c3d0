using AnomalyTools.Sources;
using Xunit;

namespace AnomalyTools.Tests.Core;

public class ColumnMapTests
{
    [Theory]
    [InlineData("transaction_id", "customer_id", "amount")]
    [InlineData("TransactionId", "CustomerId", "Amount")]
    [InlineData("Transaction ID", "Customer-ID", "AMOUNT")]
    public void Columns_match_by_name_ignoring_case_and_separators(string id, string customer, string amount)
    {
        var binding = ColumnMap.Default.Bind([amount, "merchant", customer, id]);

        Assert.Empty(binding.Missing);
        Assert.Equal(3, binding.IndexOf(TransactionField.TransactionId));
        Assert.Equal(2, binding.IndexOf(TransactionField.CustomerId));
        Assert.Equal(0, binding.IndexOf(TransactionField.Amount));
        Assert.Equal(-1, binding.IndexOf(TransactionField.Timestamp));
        Assert.Equal(["merchant"], binding.Attributes.Names);
    }

    [Fact]
    public void An_explicit_map_names_the_columns()
    {
        var map = new ColumnMap(new Dictionary<TransactionField, string> { [TransactionField.Amount] = "value_eur", [TransactionField.TransactionId] = "txn" });

        var binding = map.Bind(["txn", "customer_id", "value_eur", "amount"]);

        Assert.Equal(0, binding.IndexOf(TransactionField.TransactionId));
        Assert.Equal(2, binding.IndexOf(TransactionField.Amount));
        Assert.Equal(["amount"], binding.Attributes.Names);
        Assert.Equal("value_eur", map.ColumnNameOf(TransactionField.Amount));
    }

    [Fact]
    public void Missing_required_columns_are_listed_and_the_timestamp_is_optional()
    {
        var binding = ColumnMap.Default.Bind(["id", "customer_id"]);

        Assert.Equal([TransactionField.TransactionId, TransactionField.Amount], binding.Missing);
    }

    [Fact]
    public void An_explicitly_mapped_timestamp_must_exist()
    {
        var map = new ColumnMap(new Dictionary<TransactionField, string> { [TransactionField.Timestamp] = "booked_at" });

        Assert.Equal([TransactionField.Timestamp], map.Bind(["transaction_id", "customer_id", "amount"]).Missing);
    }
}
