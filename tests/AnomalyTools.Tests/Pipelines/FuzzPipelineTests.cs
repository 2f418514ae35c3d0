using System.Text.RegularExpressions;
using AnomalyTools.Tests.Core;
using Xunit;

namespace AnomalyTools.Tests.Pipelines;

/// <summary>Hundreds of mutated files through the three cmdlets in one pipeline: bad rows and bad files never stop it.</summary>
public class FuzzPipelineTests : IClassFixture<PowerShellFixture>, IDisposable
{
    private static readonly string[] s_rowAndFileErrors =
    [
        "MissingRequiredValue", "InvalidAmount", "InvalidTimestamp", "FieldCountMismatch", "MalformedCsv", "InvalidEncoding",
        "RecordTooLarge", "MissingRequiredColumn", "UnsupportedEncoding",
    ];

    private readonly PowerShellSession _shell;
    private readonly TempDirectory _temp = new();

    public FuzzPipelineTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
    }

    [Fact]
    public void Mutated_files_through_the_cmdlets_give_row_and_file_errors_only_and_valid_output()
    {
        var random = new Random(11);
        var files = Enumerable.Range(0, 300).Select(i =>
        {
            var path = _temp.Combine($"in-{i:D3}.csv");
            File.WriteAllBytes(path, FuzzTests.MutatedFile(random));
            return path;
        }).ToArray();
        var output = _temp.Combine("out");

        var result = _shell.Run(
            "Import-Transaction -LiteralPath $files -MaxRecordSize 2048 -WarningAction SilentlyContinue | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru",
            new { files, @out = output });

        Assert.All(result.ErrorIds, id => Assert.Contains(id, s_rowAndFileErrors));
        Assert.Contains("InvalidAmount", result.ErrorIds);
        var lines = OutputFolderContent.CommittedLines(output);
        Assert.Equal(result.Output.Count, lines.Length);
        Assert.True(lines.Length > 300 * 5, $"only {lines.Length} suspicious rows came through");
        Assert.All(lines, line => Assert.Matches(new Regex(@"^[^\n]+, [^\n]+, -?\d+(\.\d+)?$"), line));
    }

    public void Dispose() => _temp.Dispose();
}
