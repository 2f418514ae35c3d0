using Xunit;

namespace AnomalyTools.Tests.Pipelines;

/// <summary>-AllowedLateness and -IncludeLate mean something only with a time rule; without one they are a warning.</summary>
public class LatenessSettingTests : IClassFixture<PowerShellFixture>, IDisposable
{
    private readonly PowerShellSession _shell;
    private readonly TempDirectory _temp = new();
    private readonly string _feed;

    public LatenessSettingTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
        // Out of order by an hour: late for any time rule with less lateness, and over the threshold.
        _feed = _temp.File("late.csv", "transaction_id,customer_id,amount,timestamp\n1,C1,5,2024-03-01T11:00:00Z\n2,C1,9000,2024-03-01T10:00:00Z\n");
    }

    [Theory]
    [InlineData("-AllowedLateness 30")]
    [InlineData("-IncludeLate")]
    [InlineData("-AllowedLateness 30 -IncludeLate")]
    [InlineData("-Deviation 3 -IncludeLate")]
    public void Without_a_time_rule_nothing_is_late_and_lateness_settings_are_a_warning(string parameters)
    {
        var result = _shell.Run("Import-Transaction $feed | Select-SuspiciousTransaction " + parameters, new { feed = _feed });

        var flagged = Assert.Single(result.Objects<Transaction>());
        Assert.Equal(["Threshold"], flagged.Findings.Select(finding => finding.Rule));
        Assert.Contains("-MaxPerWindow", Assert.Single(result.Warnings));
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Lateness_settings_from_a_rule_file_without_a_time_rule_are_a_warning_too()
    {
        var rules = _temp.File("rules.psd1", "@{ AllowedLateness = 30; IncludeLate = $true }");

        var result = _shell.Run("Import-Transaction $feed | Select-SuspiciousTransaction -RuleFile $rules", new { feed = _feed, rules });

        Assert.Single(result.Objects<Transaction>());
        Assert.Single(result.Warnings);
    }

    [Theory]
    [InlineData("-AllowedLateness 0")]
    [InlineData("-MaxPerWindow 5 -AllowedLateness 7200")]
    [InlineData("-SmallThenLarge -AllowedLateness 7200 -IncludeLate")]
    public void With_a_time_rule_or_no_lateness_there_is_no_warning(string parameters)
    {
        var result = _shell.Run("Import-Transaction $feed | Select-SuspiciousTransaction " + parameters, new { feed = _feed });

        Assert.Empty(result.Warnings);
        Assert.Equal(["2"], result.Objects<Transaction>().Select(t => t.TransactionId));
    }

    public void Dispose() => _temp.Dispose();
}
