using System.Diagnostics;
using Xunit;

namespace AnomalyTools.Tests;

/// <summary>The Shell as a user runs it: a separate process, with its exit code, stdout and stderr.</summary>
public class ShellTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static (int ExitCode, string Out, string Error) RunShell(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(TestEnvironment.Shell);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the Shell did not finish");
        return (process.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public void The_README_command_prints_a_plain_table_reports_skipped_rows_on_stderr_and_writes_the_part()
    {
        File.Copy(Path.Combine(TestEnvironment.RepoRoot, "data", "data.csv"), _temp.Combine("data.csv"));

        var (exitCode, output, error) = RunShell(_temp.Path, "-Command",
            "Import-Transaction ./data.csv | Select-SuspiciousTransaction | Export-SuspiciousTransaction ./output/suspicious_transactions -PassThru");

        Assert.Matches(@"TransactionId\s+CustomerId\s+Amount\s+Timestamp\s+Findings", output);
        Assert.Matches(@"1042\s+C015\s+9597\.18\s+2024-03-01 20:02:00Z\s+amount 9597\.18 exceeds the threshold 8000", output);
        Assert.DoesNotContain("\u001b[", output);
        Assert.Contains("data.csv:9: the required column 'amount' is empty", error);
        Assert.Equal(1, exitCode);
        Assert.Equal(9, File.ReadAllLines(_temp.Combine("output", "suspicious_transactions", "part-0-00000")).Length);
    }

    [Fact]
    public void A_command_without_errors_exits_0_and_exit_sets_the_code()
    {
        Assert.Equal((0, "3\n"), Take2(RunShell(_temp.Path, "-Command", "1 + 2")));
        Assert.Equal(7, RunShell(_temp.Path, "-Command", "exit 7").ExitCode);
    }

    [Fact]
    public void A_terminating_error_goes_to_stderr_with_exit_code_1()
    {
        var (exitCode, output, error) = RunShell(_temp.Path, "-Command", "throw 'broken'");

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains("broken", error);
    }

    [Fact]
    public void File_runs_a_script_with_named_and_positional_arguments()
    {
        var script = _temp.File("job.ps1", "param([string]$Name, [int]$Count) \"$Name x $Count\"; exit $Count");

        var (exitCode, output, _) = RunShell(_temp.Path, "-File", script, "-Name", "it's", "3");

        Assert.Equal("it's x 3\n", output);
        Assert.Equal(3, exitCode);
    }

    [Fact]
    public void Unknown_arguments_print_usage_and_exit_64()
    {
        var (exitCode, _, error) = RunShell(_temp.Path, "-Bogus");

        Assert.Equal(64, exitCode);
        Assert.Contains("Unknown parameter '-Bogus'", error);
    }

    [Fact]
    public void SIGTERM_stops_the_pipeline_and_the_part_in_progress_is_committed_whole()
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _temp.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { TestEnvironment.Shell, "-Command", "1..100000000 | ForEach-Object { [pscustomobject]@{ transaction_id = $_; customer_id = 'C1'; amount = 9000 } } | Export-SuspiciousTransaction ./out" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var inProgress = _temp.Combine("out", ".part-0-00000.inprogress");
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!(File.Exists(inProgress) && new FileInfo(inProgress).Length > 0) && DateTime.UtcNow < deadline) Thread.Sleep(50);

        Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();

        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "the Shell did not stop");
        Assert.Equal(130, process.ExitCode);
        // A record still on its way when the stop committed the part goes into the next part, committed on dispose.
        var parts = Directory.GetFiles(_temp.Combine("out")).Order(StringComparer.Ordinal).ToArray();
        Assert.All(parts, part => Assert.Matches(@"part-0-0000[01]$", part));
        var text = string.Concat(parts.Select(File.ReadAllText));
        Assert.EndsWith("\n", text);
        var lines = text[..^1].Split('\n');
        Assert.Equal(Enumerable.Range(1, lines.Length).Select(i => $"{i}, C1, 9000"), lines);
    }

    private static (int, string) Take2((int ExitCode, string Out, string Error) result) => (result.ExitCode, result.Out.Replace("\r\n", "\n"));

    public void Dispose() => _temp.Dispose();
}
