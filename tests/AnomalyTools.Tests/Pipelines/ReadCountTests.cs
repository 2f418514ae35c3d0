using System.Text;
using Xunit;

namespace AnomalyTools.Tests.Pipelines;

/// <summary>Import-Transaction -ReadCount: arrays of transactions, which the other cmdlets take as their elements.</summary>
public class ReadCountTests : IClassFixture<PowerShellFixture>, IDisposable
{
    private static readonly string s_data = Path.Combine(TestEnvironment.RepoRoot, "data", "data.csv");
    private readonly PowerShellSession _shell;
    private readonly TempDirectory _temp = new();

    public ReadCountTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
    }

    [Fact]
    public void Transactions_come_in_full_arrays_in_file_order_the_last_holding_the_rest()
    {
        var single = _shell.Run("Import-Transaction $data", new { data = s_data }).Objects<Transaction>();

        var batches = _shell.Run("Import-Transaction $data -ReadCount 10", new { data = s_data }).Objects<Transaction[]>();

        Assert.Equal(48, single.Length);
        Assert.Equal([10, 10, 10, 10, 8], batches.Select(b => b.Length));
        Assert.Equal(single.Select(t => t.TransactionId), batches.SelectMany(b => b).Select(t => t.TransactionId));
    }

    [Fact]
    public void The_seed_pipeline_writes_the_same_bytes_and_reports_the_same_errors_with_arrays()
    {
        var output = _temp.Combine("out");

        var result = _shell.Run(
            "Import-Transaction $data -ReadCount 7 | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru",
            new { data = s_data, @out = output });

        Assert.Equal(Encoding.UTF8.GetBytes(SeedPipelineTests.ExpectedPart), File.ReadAllBytes(Path.Combine(output, "part-0-00000")));
        Assert.Equal(["1002", "1005", "1009", "1011", "1018", "1031", "1036", "1041", "1042"], result.Objects<Transaction>().Select(t => t.TransactionId));
        Assert.Equal(["MissingRequiredValue", "MissingRequiredValue"], result.ErrorIds);
    }

    [Fact]
    public void An_array_never_spans_two_files()
    {
        var a = _temp.File("a.csv", "transaction_id,customer_id,amount\n1,C1,1\n2,C1,2\n3,C1,3\n");
        var b = _temp.File("b.csv", "transaction_id,customer_id,amount\n4,C2,4\n5,C2,5\n");

        var batches = _shell.Run("Import-Transaction $a, $b -ReadCount 100", new { a, b }).Objects<Transaction[]>();

        Assert.Equal(["1 2 3", "4 5"], batches.Select(batch => string.Join(" ", batch.Select(t => t.TransactionId))));
    }

    [Fact]
    public void Export_writes_every_element_of_an_array_given_as_InputObject()
    {
        var output = _temp.Combine("out");

        _shell.Run("$all = Import-Transaction $data -ReadCount 1000; Export-SuspiciousTransaction $out -InputObject $all", new { data = s_data, @out = output });

        Assert.Equal(48, File.ReadAllText(Path.Combine(output, "part-0-00000")).Count(c => c == '\n'));
    }

    [Fact]
    public void Elements_of_an_array_that_are_not_transactions_are_converted_or_reported_one_by_one()
    {
        var result = _shell.Run(
            "Select-SuspiciousTransaction -InputObject @(@{ transaction_id = 'h1'; customer_id = 'C1'; amount = 9000 }, " +
            "@{ transaction_id = 'bad' }, @{ transaction_id = 'h2'; customer_id = 'C2'; amount = '8500.50' })");

        Assert.Equal(["h1", "h2"], result.Objects<Transaction>().Select(t => t.TransactionId));
        Assert.Equal(8500.50m, result.Objects<Transaction>()[1].Amount);
        Assert.Equal(["MissingRequiredColumn"], result.ErrorIds);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void A_ReadCount_below_one_is_refused(string readCount)
    {
        var result = _shell.Run($"Import-Transaction $data -ReadCount {readCount}", new { data = s_data });

        Assert.Empty(result.Output);
        Assert.Equal(["ParameterArgumentValidationError"], result.ErrorIds);
    }

    [Fact]
    public void Following_emits_a_partly_filled_array_as_soon_as_it_has_caught_up()
    {
        var feed = _temp.File("feed.csv", "transaction_id,customer_id,amount\n1,C1,10.00\n");
        using var live = _shell.Start("Import-Transaction $feed -Wait -ReadCount 1000", new { feed });
        Eventually.Until(() => live.Output.Length == 1, "the first array");

        Feed.Append(feed, "2,C2,9000.00\n3,C3,5.00\n");
        Eventually.Until(() => live.Output.Length == 2, "the array of the appended rows");

        Assert.False(live.Completed);
        Assert.Equal(["1", "2 3"], live.Output.Select(o => string.Join(" ", ((Transaction[])o.BaseObject).Select(t => t.TransactionId))));
    }

    public void Dispose() => _temp.Dispose();
}
