using System.Globalization;
using System.Text;
using AnomalyTools.Checkpoints;
using Xunit;
using Xunit.Abstractions;

namespace AnomalyTools.Tests.Pipelines;

/// <summary>
/// The exactly-once guarantee under crashes: the pipeline runs in a child process that is killed (SIGKILL) at random
/// moments and started again with the same command, many times; the committed output must end up holding every
/// suspicious row of the input exactly once, in input order.
/// </summary>
public class CrashRecoveryTests(ITestOutputHelper log) : IDisposable
{
    private const int Kills = 50;
    private const int RowsPerBatch = 6000;
    // Parts of about thirty records: hundreds of commits per run, so kills land in every step of committing.
    private const string Job =
        "Import-Transaction ./in.csv -ResumeFrom ./out | Select-SuspiciousTransaction | Export-SuspiciousTransaction ./out -MaxPartSize 600 -SuccessMarker";

    private readonly TempDirectory _temp = new();
    private readonly List<string> _expected = [];
    private int _rows;

    private string Output => _temp.Combine("out");

    [Fact]
    public void Killed_and_restarted_fifty_times_every_suspicious_row_is_committed_exactly_once()
    {
        var random = new Random(20261126);
        File.WriteAllText(_temp.Combine("in.csv"), "transaction_id,customer_id,amount,merchant\n");
        AppendRows();
        var (kills, completions, pendingSeen, inProgressSeen) = (0, 0, 0, 0);

        while (kills < Kills)
        {
            var startedAt = DateTime.UtcNow;
            var partsBefore = OutputFolderContent.CommittedParts(Output).Length;
            using var shell = new ShellProcess(_temp.Path, "-Command", Job);
            // The kill lands at a random moment after the run has begun committing, where the guarantee is at stake.
            Eventually.Until(() => shell.HasExited || OutputFolderContent.CommittedParts(Output).Length > partsBefore, "the run to commit a part");
            Thread.Sleep(random.Next(0, 200));
            if (shell.HasExited)
            {
                Assert.Equal(0, shell.WaitForExit());
                AssertCommittedIsPrefixOfExpected(complete: true);
                completions++;
                AppendRows();
                continue;
            }
            shell.Kill();
            kills++;
            pendingSeen += File.Exists(CheckpointJournal.PathOf(Output, 0) + ".pending") ? 1 : 0;
            inProgressSeen += Directory.Exists(Output) && Directory.GetFiles(Output, ".part-*.inprogress").Length > 0 ? 1 : 0;
            // A run killed while the process was exiting may have finished its work: then its own marker says so (one
            // left by an earlier run is removed only once this run's export has started).
            var marker = new FileInfo(Path.Combine(Output, "_SUCCESS"));
            var finished = marker.Exists && marker.LastWriteTimeUtc >= startedAt;
            AssertCommittedIsPrefixOfExpected(complete: finished);
            if (finished) AppendRows();
        }

        var last = ShellProcess.Run(_temp.Path, "-Command", Job);
        Assert.True(last.ExitCode == 0, last.Error);
        AssertCommittedIsPrefixOfExpected(complete: true);
        Assert.True(File.Exists(Path.Combine(Output, "_SUCCESS")));
        var rerun = ShellProcess.Run(_temp.Path, "-Command", Job);
        Assert.True(rerun.ExitCode == 0, rerun.Error);
        AssertCommittedIsPrefixOfExpected(complete: true);

        log.WriteLine($"{kills} kills ({pendingSeen} with a pending checkpoint, {inProgressSeen} with a part in progress), " +
            $"{completions} runs that finished before their kill, {_expected.Count} suspicious rows in {OutputFolderContent.CommittedParts(Output).Length} parts.");
    }

    // Every committed part is whole, and the committed lines, part after part, are the expected rows in order with none
    // twice: a prefix of them after a kill, all of them after a run that finished.
    private void AssertCommittedIsPrefixOfExpected(bool complete)
    {
        var committed = OutputFolderContent.CommittedLines(Output);
        Assert.True(committed.Length <= _expected.Count, "more lines committed than suspicious rows exist");
        Assert.Equal(_expected.Take(committed.Length), committed);
        if (complete) Assert.Equal(_expected.Count, committed.Length);
    }


    private void AppendRows()
    {
        var text = new StringBuilder();
        for (var i = 0; i < RowsPerBatch; i++)
        {
            var id = ++_rows;
            var suspicious = id % 3 == 0;
            var amount = (suspicious ? 8000.25m + id : 10m + id % 50).ToString(CultureInfo.InvariantCulture);
            var customer = "C" + (id % 97).ToString(CultureInfo.InvariantCulture);
            text.Append(id).Append(',').Append(customer).Append(',').Append(amount).Append(",Shop ").Append(id % 13).Append('\n');
            if (suspicious) _expected.Add($"{id}, {customer}, {amount}");
        }
        File.AppendAllText(_temp.Combine("in.csv"), text.ToString());
    }

    public void Dispose() => _temp.Dispose();
}
