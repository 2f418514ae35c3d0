using AnomalyTools.Tests.Pipelines;
using Xunit;

namespace AnomalyTools.Tests;

/// <summary>Tab completion as PowerShell offers it (TabExpansion2), for the values a user types most.</summary>
public class CompletionTests : IClassFixture<PowerShellFixture>
{
    private readonly PowerShellSession _shell;

    public CompletionTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
    }

    [Theory]
    [InlineData("Export-SuspiciousTransaction ./out -Format ", new[] { "Csv", "JsonLines", "Text" })]
    [InlineData("Export-SuspiciousTransaction ./out -Format J", new[] { "JsonLines" })]
    [InlineData("Select-SuspiciousTransaction -Threshold ", new[] { "8000", "10000", "15000", "3000" })]
    [InlineData("Select-SuspiciousTransaction -Threshold 1", new[] { "10000", "15000" })]
    [InlineData("Select-SuspiciousTransaction -Window ", new[] { "1", "5", "30", "60", "300", "3600" })]
    [InlineData("Export-SuspiciousTransaction ./out -RolloverInterval 3", new[] { "30", "300", "3600" })]
    [InlineData("Import-Transaction ./a.csv -Wait -IdleTimeout 6", new[] { "60" })]
    [InlineData("Import-Transaction ./a.csv -Delimiter ", new[] { "','", "';'", "\"`t\"", "'|'" })]
    public void Closed_choices_and_common_values_complete(string input, string[] expected)
    {
        var result = _shell.Run(
            "(TabExpansion2 -inputScript $inputText -cursorColumn $inputText.Length).CompletionMatches | ForEach-Object CompletionText",
            new { inputText = input });

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Threshold_suggestions_say_where_the_number_comes_from()
    {
        var result = _shell.Run(
            "(TabExpansion2 -inputScript $inputText -cursorColumn $inputText.Length).CompletionMatches | ForEach-Object ToolTip",
            new { inputText = "Select-SuspiciousTransaction -Threshold 10" });

        Assert.Contains("currency transaction report", result.Output.Single().ToString());
    }

    [Fact]
    public void Every_interval_parameter_completes_seconds()
    {
        var result = _shell.Run(
            "Get-Command -Module AnomalyTools | ForEach-Object { foreach ($p in $_.Parameters.Values) { " +
            "if ($p.Attributes | Where-Object { $_ -is [AnomalyTools.Commands.IntervalTransformationAttribute] }) { " +
            "'{0} -{1}: {2}' -f $_.Name, $p.Name, [bool]($p.Attributes | Where-Object { $_.Type -eq [AnomalyTools.Commands.IntervalCompleter] }) } } }");

        Assert.Equal(7, result.Output.Count);
        Assert.All(result.Output, line => Assert.EndsWith(": True", line.ToString()));
    }
}
