using Xunit;

namespace AnomalyTools.Tests.Pipelines;

/// <summary>
/// Import-Transaction and the folder an export writes: -ResumeFrom that names no checkpoint folder, and a pipeline
/// that would read its own output back.
/// </summary>
public class PipelineOutputTests : IClassFixture<PowerShellFixture>, IDisposable
{
    private const string Header = "transaction_id,customer_id,amount,timestamp\n";

    private readonly PowerShellSession _shell;
    private readonly TempDirectory _temp = new();
    private readonly string _input;

    public PipelineOutputTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
        _input = _temp.File("feed.csv", Header + "1,C1,9000,2024-03-01T07:10:00Z\n2,C2,10,2024-03-01T07:20:00Z\n3,C3,9100,2024-03-01T08:05:00Z\n");
    }

    private string Output => _temp.Combine("out");

    private PipelineResult Run(string script, object? variables = null, bool expectFailure = false) =>
        _shell.Run(script, variables ?? new { @in = _input, @out = Output, dir = _temp.Path }, expectFailure);

    private static string[] Ids(PipelineResult result) => result.Objects<Transaction>().Select(t => t.TransactionId).ToArray();

    // The verbose messages of every command of the pipeline, as output.
    private static string Verbose(string pipeline) =>
        "& { $VerbosePreference = 'Continue'; " + pipeline + " } 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message";

    private static bool SaysEveryFileIsRead(PipelineResult verbose, string folder) =>
        verbose.Output.Any(line => line.ToString().Contains(folder, StringComparison.Ordinal) && line.ToString().Contains("_checkpoints", StringComparison.Ordinal));

    public static TheoryData<string> FilesNotFolders => new() { "feed.csv", "out/part-0-00000", "out/_checkpoints/subtask-0" };

    [Theory]
    [MemberData(nameof(FilesNotFolders))]
    public void ResumeFrom_naming_a_file_stops_the_command(string file)
    {
        Run("Import-Transaction $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out");
        var path = _temp.Combine(file.Split('/'));

        var result = _shell.Run("Import-Transaction $in -ResumeFrom $path | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru",
            new { @in = _input, @out = Output, path }, expectFailure: true);

        Assert.Equal(["ResumeFromIsFile"], result.ErrorIds);
        Assert.Equal(path, result.Errors[0].TargetObject);
        Assert.Empty(result.Output);
        Assert.Equal(["part-0-00000"], Directory.GetFiles(Output).Select(Path.GetFileName));
    }

    public static TheoryData<string> FoldersWithoutCheckpoints => new() { "outt", "empty", "out/_checkpoints" };

    [Theory]
    [MemberData(nameof(FoldersWithoutCheckpoints))]
    public void ResumeFrom_a_folder_without_checkpoints_that_the_pipeline_does_not_write_is_a_warning(string folder)
    {
        Run("Import-Transaction $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out");
        Directory.CreateDirectory(_temp.Combine("empty"));
        var typo = _temp.Combine(folder.Split('/'));
        var variables = new { @in = _input, @out = Output, typo };

        var result = _shell.Run("Import-Transaction $in -ResumeFrom $typo | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru", variables);
        var verbose = _shell.Run(Verbose("Import-Transaction $in -ResumeFrom $typo"), variables);

        Assert.Empty(result.Errors);
        Assert.Contains(typo, Assert.Single(result.Warnings));
        Assert.Equal(["1", "3"], Ids(result));
        Assert.True(SaysEveryFileIsRead(verbose, typo));
    }

    [Fact]
    public void The_first_run_into_the_folder_the_pipeline_writes_reads_everything_without_a_warning_and_says_why_in_verbose()
    {
        const string job = "Import-Transaction $in -ResumeFrom $out | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru";
        var result = Run(job);
        Directory.Delete(Output, recursive: true);
        var verbose = Run(Verbose(job));
        var resumed = Run(Verbose(job));

        Assert.Empty(result.Warnings);
        Assert.Equal(["1", "3"], Ids(result));
        Assert.Empty(verbose.Warnings);
        Assert.True(SaysEveryFileIsRead(verbose, Output));
        Assert.False(SaysEveryFileIsRead(resumed, Output));
    }

    [Fact]
    public void A_wildcard_over_the_folder_the_pipeline_exports_to_skips_its_parts_and_underscore_files()
    {
        // The input sits in the output folder; the first run leaves a part, _SUCCESS and _checkpoints beside it.
        const string job = "Import-Transaction \"$dir/*\" | Select-SuspiciousTransaction | Export-SuspiciousTransaction $dir -Format Csv -SuccessMarker -PassThru";
        var first = Run(job);
        var second = Run(job);

        Assert.Equal(["1", "3"], Ids(first));
        Assert.Empty(second.Errors);
        Assert.Equal(["1", "3"], Ids(second));
        Assert.Contains(_temp.Path, Assert.Single(second.Warnings));
        Assert.Equal(["feed.csv", "part-0-00000", "part-0-00001"], Directory.GetFiles(_temp.Path).Select(Path.GetFileName).Where(name => !name!.StartsWith('_')).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_folder_the_pipeline_exports_to_is_recognised_through_a_symbolic_link_either_way()
    {
        if (OperatingSystem.IsWindows()) return;
        using var elsewhere = new TempDirectory();
        var link = elsewhere.Combine("alerts");
        Directory.CreateSymbolicLink(link, _temp.Path);
        var variables = new { dir = _temp.Path, link };
        Run("Import-Transaction $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $dir -Format Csv");

        var readThroughName = _shell.Run("Import-Transaction \"$dir/*\" | Select-SuspiciousTransaction | Export-SuspiciousTransaction $link -Format Csv -PassThru", variables);
        var readThroughLink = _shell.Run("Import-Transaction \"$link/*\" | Select-SuspiciousTransaction | Export-SuspiciousTransaction $dir -Format Csv -PassThru", variables);

        Assert.Empty(readThroughName.Errors);
        Assert.Equal(["1", "3"], Ids(readThroughName));
        Assert.Empty(readThroughLink.Errors);
        Assert.Equal(["1", "3"], Ids(readThroughLink));
    }

    [Fact]
    public void A_part_named_literally_in_the_pipeline_that_writes_it_is_skipped_and_other_pipelines_read_it()
    {
        Run("Import-Transaction $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -Format Csv");
        var part = Path.Combine(Output, "part-0-00000");
        var variables = new { part, @out = Output, other = _temp.Combine("other") };

        var own = _shell.Run("Import-Transaction -LiteralPath $part | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru", variables);
        var other = _shell.Run("Import-Transaction -LiteralPath $part | Select-SuspiciousTransaction | Export-SuspiciousTransaction $other -PassThru", variables);
        var afterwards = _shell.Run("Import-Transaction -LiteralPath $part", variables);

        Assert.Empty(own.Output);
        Assert.Empty(own.Errors);
        Assert.Contains(part, Assert.Single(own.Warnings));
        Assert.Equal(["1", "3"], Ids(other));
        Assert.Empty(other.Warnings);
        Assert.Equal(["1", "3"], Ids(afterwards));
    }

    [Fact]
    public void Parts_in_bucket_folders_of_the_pipelines_output_are_skipped_too()
    {
        Run("Import-Transaction $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -Format Csv -BucketBy EventTime");
        var parts = Directory.GetFiles(Output, "part-*", SearchOption.AllDirectories);

        var result = _shell.Run("Import-Transaction \"$out/*/part-*\" | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -Format Csv -BucketBy EventTime -PassThru",
            new { @out = Output });

        Assert.Equal(2, parts.Length);
        Assert.Empty(result.Output);
        Assert.Empty(result.Errors);
        Assert.Single(result.Warnings);
    }

    [Fact]
    public void Following_the_folder_the_pipeline_exports_to_does_not_feed_its_output_back()
    {
        // Without the skip every committed part would be read as new input and exported again, without end; the last
        // command bounds that case, so that the test fails instead of running on.
        var result = Run(
            "Import-Transaction \"$dir/*\" -Wait -IdleTimeout 2 | Select-SuspiciousTransaction |" +
            " Export-SuspiciousTransaction $dir -Format Csv -RolloverInterval 0.2 -PassThru |" +
            " ForEach-Object -Begin { $count = 0 } -Process { if (++$count -gt 4) { throw 'The output was read back.' }; $_ }");

        Assert.Empty(result.Errors);
        Assert.Equal(["1", "3"], Ids(result));
        Assert.NotEmpty(Directory.GetFiles(_temp.Path, "part-*"));
    }

    public void Dispose() => _temp.Dispose();
}
