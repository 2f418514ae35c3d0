using System.Text;
using Xunit;

namespace AnomalyTools.Tests.Pipelines;

public class SeedPipelineTests : IClassFixture<PowerShellFixture>, IDisposable
{
    internal const string ExpectedPart =
        "1002, C012, 9582.15\n1005, C014, 9807.05\n1009, C015, 9269.96\n1011, C007, 9612.36\n1018, C005, 9559.71\n" +
        "1031, C008, 8906.39\n1036, C012, 9622.80\n1041, C002, 9822.37\n1042, C015, 9597.18\n";

    private readonly PowerShellSession _shell;
    private readonly TempDirectory _temp = new();

    public SeedPipelineTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
    }

    private string Output => _temp.Combine("output", "suspicious_transactions");

    [Fact]
    public void The_exercise_on_the_bundled_data_writes_one_part_with_the_nine_lines()
    {
        var result = _shell.Run(
            "Import-Transaction $data | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru",
            new { data = Path.Combine(TestEnvironment.RepoRoot, "data", "data.csv"), @out = Output });

        Assert.Equal(["part-0-00000"], Directory.GetFiles(Output).Select(Path.GetFileName));
        Assert.Equal(Encoding.UTF8.GetBytes(ExpectedPart), File.ReadAllBytes(Path.Combine(Output, "part-0-00000")));

        var flagged = result.Objects<Transaction>();
        Assert.Equal(["1002", "1005", "1009", "1011", "1018", "1031", "1036", "1041", "1042"], flagged.Select(t => t.TransactionId));
        Assert.All(flagged, t => Assert.Equal("Threshold", Assert.Single(t.Findings).Rule));
        Assert.Equal("amount 9582.15 exceeds the threshold 8000", flagged[0].Findings[0].Message);

        Assert.Equal(["MissingRequiredValue", "MissingRequiredValue"], result.ErrorIds);
        Assert.All(result.Errors, e => Assert.Equal(System.Management.Automation.ErrorCategory.InvalidData, e.CategoryInfo.Category));
        Assert.EndsWith("data.csv:9", (string)result.Errors[0].TargetObject);
        Assert.EndsWith("data.csv:25", (string)result.Errors[1].TargetObject);
    }

    [Fact]
    public void Import_yields_every_good_row_typed_with_its_attributes()
    {
        var result = _shell.Run("Import-Transaction -Path $data", new { data = Path.Combine(TestEnvironment.RepoRoot, "data", "data.csv") });

        var transactions = result.Objects<Transaction>();
        Assert.Equal(48, transactions.Length);
        var quoted = transactions.Single(t => t.TransactionId == "1025");
        Assert.Equal("Delta Air Lines, Inc.", quoted.Attributes["merchant"]);
        Assert.Equal(27L, quoted.LineNumber);
        Assert.Null(transactions.Single(t => t.TransactionId == "1046").Timestamp);
        Assert.Equal(8000.00m, transactions.Single(t => t.TransactionId == "1024").Amount);
    }

    [Fact]
    public void Attributes_read_as_properties_in_PowerShell()
    {
        var result = _shell.Run("(Import-Transaction $data)[2].Attributes.merchant", new { data = Path.Combine(TestEnvironment.RepoRoot, "data", "data.csv") });

        Assert.Equal("Delta Air Lines", result.Output.Single().BaseObject);
    }

    public void Dispose() => _temp.Dispose();
}

/// <summary>One hosted engine for the tests of a class.</summary>
public sealed class PowerShellFixture : IDisposable
{
    public PowerShellSession Session { get; } = new();

    public void Dispose() => Session.Dispose();
}
