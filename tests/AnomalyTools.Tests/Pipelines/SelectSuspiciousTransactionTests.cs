using Xunit;

namespace AnomalyTools.Tests.Pipelines;

public class SelectSuspiciousTransactionTests : IClassFixture<PowerShellFixture>
{
    private readonly PowerShellSession _shell;

    public SelectSuspiciousTransactionTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
    }

    [Fact]
    public void Import_Csv_style_objects_with_string_properties_are_converted_and_judged()
    {
        var result = _shell.Run("""
            [pscustomobject]@{ transaction_id = '1'; customer_id = 'C1'; amount = '9000.50'; merchant = 'Acme' },
            [pscustomobject]@{ transaction_id = '2'; customer_id = 'C2'; amount = '8000.00'; merchant = 'Acme' } |
                Select-SuspiciousTransaction
            """);

        var flagged = result.Objects<Transaction>().Single();
        Assert.Equal(("1", 9000.50m, "Acme"), (flagged.TransactionId, flagged.Amount, flagged.Attributes["merchant"]));
        Assert.Equal("amount 9000.50 exceeds the threshold 8000", flagged.Findings.Single().Message);
    }

    [Fact]
    public void Hashtables_and_numbers_work_too()
    {
        var result = _shell.Run("@{ TransactionId = 7; CustomerId = 'C7'; Amount = 12000 } | Select-SuspiciousTransaction");

        Assert.Equal(12000m, result.Objects<Transaction>().Single().Amount);
    }

    [Theory]
    [InlineData("8000.00", 0)]
    [InlineData("8000.01", 1)]
    public void The_threshold_is_strictly_greater_than(string amount, int expected)
    {
        var result = _shell.Run($"[pscustomobject]@{{ transaction_id = '1'; customer_id = 'C1'; amount = '{amount}' }} | Select-SuspiciousTransaction");

        Assert.Equal(expected, result.Output.Count);
    }

    [Fact]
    public void Threshold_sets_the_limit()
    {
        var result = _shell.Run("1..5 | ForEach-Object { [pscustomobject]@{ transaction_id = $_; customer_id = 'C1'; amount = $_ * 100 } } | Select-SuspiciousTransaction -Threshold 300");

        Assert.Equal(["4", "5"], result.Objects<Transaction>().Select(t => t.TransactionId));
    }

    [Fact]
    public void Objects_that_are_not_transactions_are_errors_with_the_object_as_target_and_the_rest_go_on()
    {
        var result = _shell.Run("""
            [pscustomobject]@{ name = 'x' },
            [pscustomobject]@{ transaction_id = '1'; customer_id = 'C1'; amount = 'many' },
            [pscustomobject]@{ transaction_id = '2'; customer_id = 'C2'; amount = '9999' } | Select-SuspiciousTransaction
            """);

        Assert.Equal(["2"], result.Objects<Transaction>().Select(t => t.TransactionId));
        Assert.Equal(["MissingRequiredColumn", "InvalidAmount"], result.ErrorIds);
        Assert.Equal("x", ((System.Management.Automation.PSObject)result.Errors[0].TargetObject).Properties["name"].Value);
    }
}
