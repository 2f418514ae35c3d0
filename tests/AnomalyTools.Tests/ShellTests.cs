using System.Diagnostics;
using Xunit;

namespace AnomalyTools.Tests;

/// <summary>The Shell as a user runs it: a separate process, with its exit code, stdout and stderr.</summary>
public class ShellTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void The_README_command_prints_a_plain_table_reports_skipped_rows_on_stderr_and_writes_the_part()
    {
        File.Copy(Path.Combine(TestEnvironment.RepoRoot, "data", "data.csv"), _temp.Combine("data.csv"));

        var (exitCode, output, error) = ShellProcess.Run(_temp.Path, "-Command",
            "Import-Transaction ./data.csv | Select-SuspiciousTransaction | Export-SuspiciousTransaction ./output/suspicious_transactions -PassThru");

        Assert.Matches(@"TransactionId\s+CustomerId\s+Amount\s+Timestamp\s+Findings", output);
        // pwsh's width for a redirected stdout is 80 columns: the findings column ends in an ellipsis.
        Assert.Matches(@"1042\s+C015\s+9597\.18\s+2024-03-01 20:02:00Z\s+amount 9597\.18 exceeds", output);
        Assert.DoesNotContain("\u001b[", output);
        Assert.DoesNotContain("\u001b[", error);
        Assert.Contains("data.csv:9: the required column 'amount' is empty", error);
        Assert.Equal(1, exitCode);
        Assert.Equal(9, File.ReadAllLines(_temp.Combine("output", "suspicious_transactions", "part-0-00000")).Length);
    }

    [Fact]
    public void A_command_without_errors_exits_0_and_exit_sets_the_code()
    {
        Assert.Equal((0, "3\n"), Take2(ShellProcess.Run(_temp.Path, "-Command", "1 + 2")));
        Assert.Equal(7, ShellProcess.Run(_temp.Path, "-Command", "exit 7").ExitCode);
    }

    [Fact]
    public void A_terminating_error_goes_to_stderr_with_exit_code_1()
    {
        var (exitCode, output, error) = ShellProcess.Run(_temp.Path, "-Command", "throw 'broken'");

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains("broken", error);
    }

    [Fact]
    public void File_runs_a_script_with_named_and_positional_arguments()
    {
        var script = _temp.File("job.ps1", "param([string]$Name, [int]$Count) \"$Name x $Count\"; exit $Count");

        var (exitCode, output, _) = ShellProcess.Run(_temp.Path, "-File", script, "-Name", "it's", "3");

        Assert.Equal("it's x 3\n", output);
        Assert.Equal(3, exitCode);
    }

    [Fact]
    public void Unknown_arguments_are_refused_with_exit_code_64_as_pwsh_refuses_them()
    {
        var (exitCode, _, error) = ShellProcess.Run(_temp.Path, "-Bogus");

        Assert.Equal(64, exitCode);
        Assert.Contains("'-Bogus'", error);
    }

    [Fact]
    public void SIGTERM_stops_the_pipeline_and_the_part_in_progress_is_committed_whole()
    {
        using var shell = new ShellProcess(_temp.Path, "-Command",
            "1..100000000 | ForEach-Object { [pscustomobject]@{ transaction_id = $_; customer_id = 'C1'; amount = 9000 } } | Export-SuspiciousTransaction ./out");
        var inProgress = _temp.Combine("out", ".part-0-00000.inprogress");
        Eventually.Until(() => File.Exists(inProgress) && new FileInfo(inProgress).Length > 0, "records in the part in progress");

        shell.Signal("TERM");

        Assert.Equal(130, shell.WaitForExit());
        // A record still on its way when the stop committed the part goes into the next part, committed on dispose.
        Assert.All(Directory.GetFiles(_temp.Combine("out")), file => Assert.Matches(@"part-0-0000[01]$", file));
        var lines = OutputFolderContent.CommittedLines(_temp.Combine("out"));
        Assert.Equal(Enumerable.Range(1, lines.Length).Select(i => $"{i}, C1, 9000"), lines);
    }

    [Fact]
    public void SIGINT_stops_a_live_pipeline_and_every_alert_shown_is_in_a_committed_part()
    {
        var feed = _temp.File("feed.csv", Header);
        using var shell = new ShellProcess(_temp.Path, "-Command",
            "Import-Transaction ./feed.csv -Wait | Select-SuspiciousTransaction | Export-SuspiciousTransaction ./out -PassThru | ForEach-Object { 'ALERT ' + $_.TransactionId }");
        using var writer = new FeedWriter(feed);

        Eventually.Until(() => shell.Output.Split('\n').Count(l => l.StartsWith("ALERT ")) >= 20, "20 alerts on stdout");
        shell.Signal("INT");

        Assert.Equal(130, shell.WaitForExit());
        var alerts = shell.Output.Split('\n').Where(l => l.StartsWith("ALERT ")).Select(l => l[6..].Trim()).ToArray();
        var committed = OutputFolderContent.CommittedLines(_temp.Combine("out"));
        Assert.Empty(Directory.GetFiles(_temp.Combine("out"), ".*.inprogress"));
        Assert.Equal(FeedWriter.Suspicious.Take(committed.Length), committed);
        Assert.Equal(alerts, committed.Take(alerts.Length).Select(l => l.Split(',')[0]));
    }

    [Fact]
    public void SIGKILL_leaves_at_most_one_in_progress_part_no_damaged_finished_part_and_the_next_run_reports_it()
    {
        var feed = _temp.File("feed.csv", Header);
        var output = _temp.Combine("out");
        using (var shell = new ShellProcess(_temp.Path, "-Command",
            "Import-Transaction ./feed.csv -Wait | Select-SuspiciousTransaction | Export-SuspiciousTransaction ./out -MaxPartSize 300"))
        using (var writer = new FeedWriter(feed))
        {
            Eventually.Until(() => File.Exists(Path.Combine(output, "part-0-00003")), "four parts rolled by size");
            shell.Signal("KILL");
            shell.WaitForExit();
        }

        var inProgress = Directory.GetFiles(output, ".*.inprogress");
        Assert.InRange(inProgress.Length, 0, 1);
        var committed = OutputFolderContent.CommittedLines(output);
        Assert.Equal(FeedWriter.Suspicious.Take(committed.Length), committed);

        var (exitCode, stdout, _) = ShellProcess.Run(_temp.Path, "-Command", "@() | Export-SuspiciousTransaction ./out");
        Assert.Equal(0, exitCode);
        // pwsh's console host writes warnings to stdout, not stderr.
        Assert.Equal(inProgress.Length, stdout.Split('\n').Count(l => l.Contains("an in-progress part left by a run that stopped")));
    }

    [Fact]
    public void A_writer_killed_in_the_middle_of_a_row_leaves_only_whole_rows_in_the_parts()
    {
        var feed = _temp.File("feed.csv", Header);
        using var writer = new ShellProcess(_temp.Path, redirectInput: true, "-Command",
            "$s = [IO.File]::Open('feed.csv', 'Append', 'Write', 'ReadWrite, Delete'); " +
            "function Send($text) { $b = [Text.Encoding]::UTF8.GetBytes($text); $s.Write($b, 0, $b.Length); $s.Flush() }; " +
            "1..50 | ForEach-Object { Send \"$_,C1,$(1 + 9000 * ($_ % 2)).00`n\" }; 'READY'; [void][Console]::In.ReadLine(); " +
            "51..100 | ForEach-Object { Send \"$_,C1,$(1 + 9000 * ($_ % 2)).00`n\" }; Send '101,C1,9999'; 'HALF'; [Threading.Thread]::Sleep(-1)");
        Eventually.Until(() => writer.Output.Contains("READY"), "the writer's first rows");
        var session = new PowerShellSession();
        using var live = session.Start(
            "Import-Transaction $feed -Wait -IdleTimeout 2 | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru",
            new { feed, @out = _temp.Combine("out") });
        Eventually.Until(() => live.Transactions.Length == 25, "the first rows to pass through");

        writer.SendLine();
        Eventually.Until(() => writer.Output.Contains("HALF"), "the writer to stop in the middle of a row");
        writer.Signal("KILL");
        live.WaitForEnd();
        session.Dispose();

        var expected = Enumerable.Range(1, 100).Where(i => i % 2 == 1).Select(i => $"{i}, C1, 9001.00").ToArray();
        Assert.Equal(expected, OutputFolderContent.CommittedLines(_temp.Combine("out")));
        Assert.Empty(Directory.GetFiles(_temp.Combine("out"), ".*.inprogress"));
        Assert.Contains(live.Warnings, w => w.Contains("feed.csv:102: the last record has no line end yet"));
    }

    /// <summary>The Shell, or the repository's pwsh importing the built module: the same answers from both.</summary>
    private (int ExitCode, string Out, string Error) RunIn(string runner, string command) => runner == "Shell"
        ? ShellProcess.Run(_temp.Path, "-NoProfile", "-Command", command)
        : ShellProcess.RunFrom(TestEnvironment.Pwsh, _temp.Path, "-NoProfile", "-NonInteractive", "-Command",
            $"Import-Module '{TestEnvironment.ModuleManifest}'; " + command);

    [Theory]
    [InlineData("Shell")]
    [InlineData("Pwsh")]
    public void ErrorAction_Stop_on_a_bad_row_ends_the_command_with_the_rows_error_id_and_exit_code_1(string runner)
    {
        _temp.File("bad.csv", Header + "1,C1,9000\n2,C1,\n3,C1,9500\n");

        var (exitCode, output, error) = RunIn(runner, "Import-Transaction ./bad.csv -ErrorAction Stop | ForEach-Object TransactionId; 'after'");

        Assert.Equal(1, exitCode);
        Assert.Equal("1\n", output);
        Assert.Contains("bad.csv:3: the required column 'amount' is empty", error);
    }

    [Theory]
    [InlineData("Shell")]
    [InlineData("Pwsh")]
    public void Try_catch_sees_the_terminating_error_ids(string runner)
    {
        _temp.File("bad.csv", Header + "1,C1,1e4\n");
        _temp.File("nocolumn.csv", "transaction_id,customer_id\n1,C1\n");

        var (exitCode, output, _) = RunIn(runner,
            "try { Import-Transaction ./bad.csv -ErrorAction Stop } catch { $_.FullyQualifiedErrorId.Split(',')[0] }; " +
            "try { Import-Transaction ./nocolumn.csv -ErrorAction Stop } catch { $_.FullyQualifiedErrorId.Split(',')[0] }; " +
            "try { Import-Transaction ./missing.csv -ErrorAction Stop } catch { $_.FullyQualifiedErrorId.Split(',')[0] }; " +
            "try { @() | Export-SuspiciousTransaction ./bad.csv } catch { $_.FullyQualifiedErrorId.Split(',')[0] }");

        Assert.Equal(0, exitCode);
        Assert.Equal(["InvalidAmount", "MissingRequiredColumn", "PathNotFound"], output.Split('\n')[..3]);
        Assert.NotEqual("", output.Split('\n')[3]);
    }

    [Theory]
    [InlineData("Shell")]
    [InlineData("Pwsh")]
    public void Dollar_question_mark_and_LASTEXITCODE_are_what_pwsh_users_expect(string runner)
    {
        _temp.File("bad.csv", Header + "1,C1,\n");
        _temp.File("good.csv", Header + "1,C1,5\n");

        var (exitCode, output, _) = RunIn(runner,
            "Import-Transaction ./good.csv | Out-Null; \"good $?\"; " +
            "Import-Transaction ./bad.csv 2>$null | Out-Null; \"bad $?\"; " +
            $"& dotnet '{TestEnvironment.Shell}' -NoProfile -Command 'exit 5'; \"child $LASTEXITCODE $?\"; " +
            $"& dotnet '{TestEnvironment.Shell}' -NoProfile -Command '1' | Out-Null; \"child $LASTEXITCODE $?\"");

        Assert.Equal("good True\nbad False\nchild 5 False\nchild 0 True\n", output);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public void Ctrl_C_in_the_middle_of_a_long_import_stops_it_and_exits_130()
    {
        var big = _temp.File("big.csv", Header + string.Concat(Enumerable.Range(1, 300_000).Select(i => $"{i},C{i % 50},9{i % 1000}.00\n")));
        using var shell = new ShellProcess(_temp.Path, "-NoProfile", "-Command",
            "Import-Transaction ./big.csv | ForEach-Object { if ($_.TransactionId -eq '10') { 'STARTED' } ; Start-Sleep -Milliseconds 1 }");
        Eventually.Until(() => shell.Output.Contains("STARTED"), "the import to be under way");

        shell.Signal("INT");

        Assert.Equal(130, shell.WaitForExit());
        using (new FileStream(big, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
        }
    }

    [Fact]
    public void The_Shell_has_every_built_in_module_of_pwsh_and_the_module_by_name()
    {
        var (exitCode, output, _) = ShellProcess.Run(_temp.Path, "-NoProfile", "-Command",
            "(Get-Module -ListAvailable).Name | Sort-Object -Unique; (Get-Module AnomalyTools).Name");

        Assert.Equal(0, exitCode);
        Assert.Superset(
            new HashSet<string>(["AnomalyTools", "Microsoft.PowerShell.Archive", "Microsoft.PowerShell.Management", "Microsoft.PowerShell.PSResourceGet",
                "Microsoft.PowerShell.Security", "Microsoft.PowerShell.ThreadJob", "Microsoft.PowerShell.Utility", "PSReadLine"]),
            new HashSet<string>(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void EncodedCommand_and_OutputFormat_work_as_in_pwsh()
    {
        var encoded = Convert.ToBase64String(System.Text.Encoding.Unicode.GetBytes("(Get-Command Import-Transaction).Name; 6 * 7"));

        Assert.Equal((0, "Import-Transaction\n42\n"), Take2(ShellProcess.Run(_temp.Path, "-NoProfile", "-EncodedCommand", encoded)));
        var (exitCode, output, _) = ShellProcess.Run(_temp.Path, "-NoProfile", "-OutputFormat", "XML", "-Command", "6 * 7");
        Assert.Equal(0, exitCode);
        Assert.Contains("<I32 S=\"Output\">42</I32>", output);
    }

    [Fact]
    public void Commands_piped_to_the_interactive_Shell_run_and_exit_sets_the_code()
    {
        using var shell = new ShellProcess(_temp.Path, redirectInput: true, "-NoProfile");
        shell.SendLine("(Get-Command Export-SuspiciousTransaction).Name");
        shell.SendLine("exit 3");

        Assert.Equal(3, shell.WaitForExit());
        Assert.Contains("Export-SuspiciousTransaction", shell.Output);
    }

    private const string Header = "transaction_id,customer_id,amount\n";

    private static (int, string) Take2((int ExitCode, string Out, string Error) result) => (result.ExitCode, result.Out.Replace("\r\n", "\n"));

    public void Dispose() => _temp.Dispose();

    /// <summary>A thread appending rows to a feed, each in two writes, until disposed: ids 1, 2, ..., every third one suspicious.</summary>
    private sealed class FeedWriter : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;

        public FeedWriter(string path)
        {
            _thread = new Thread(() =>
            {
                for (var id = 1; !_stop.IsCancellationRequested; id++)
                {
                    var row = Row(id);
                    Feed.Append(path, row[..4]);
                    Feed.Append(path, row[4..]);
                    if (id % 20 == 0) Thread.Sleep(2);
                }
            });
            _thread.Start();
        }

        public static IEnumerable<string> Suspicious =>
            Enumerable.Range(1, int.MaxValue - 1).Where(id => id % 3 == 0).Select(id => $"{id}, C1, {9000 + id}");

        private static string Row(int id) => $"{id},C1,{(id % 3 == 0 ? 9000 + id : 50)}\n";

        public void Dispose()
        {
            _stop.Cancel();
            _thread.Join();
        }
    }
}
