using Xunit;

namespace AnomalyTools.Tests.Pipelines;

/// <summary>A run killed (SIGKILL) right after it rolled back an in-progress part: the part's number must not come back.</summary>
public class RollbackKillTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Output => _temp.Combine("out");

    [Fact]
    public void A_part_rolled_back_by_a_run_killed_right_after_keeps_its_number()
    {
        _temp.File("feed.csv", "transaction_id,customer_id,amount\n");
        _temp.File("in.csv", "transaction_id,customer_id,amount\n1,C1,9000\n");
        Directory.CreateDirectory(Output);
        File.WriteAllText(Path.Combine(Output, "part-0-00022"), "0, C0, 9999\n");
        var abandoned = Path.Combine(Output, ".part-0-00023.inprogress");
        File.WriteAllText(abandoned, "half a rec");

        // Following an empty feed: the run rolls the part back, then writes nothing until it is killed.
        using (var shell = new ShellProcess(_temp.Path, "-Command", "Import-Transaction ./feed.csv -Wait | Select-SuspiciousTransaction | Export-SuspiciousTransaction ./out"))
        {
            Eventually.Until(() => !File.Exists(abandoned) || shell.HasExited, "the part to be rolled back");
            Assert.False(shell.HasExited, shell.Error);
            shell.Kill();
        }

        var next = ShellProcess.Run(_temp.Path, "-Command", "Import-Transaction ./in.csv | Select-SuspiciousTransaction | Export-SuspiciousTransaction ./out");

        Assert.True(next.ExitCode == 0, next.Error);
        Assert.Equal(["part-0-00022", "part-0-00024"], Directory.GetFiles(Output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("1, C1, 9000\n", File.ReadAllText(Path.Combine(Output, "part-0-00024")));
    }
}
