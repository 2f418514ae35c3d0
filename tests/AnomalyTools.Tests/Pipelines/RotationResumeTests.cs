using System.Text;
using AnomalyTools.Checkpoints;
using Xunit;

namespace AnomalyTools.Tests.Pipelines;

/// <summary>
/// A followed feed rotated around a stop, resumed with -ResumeFrom: no alert of the new file is skipped, none is written
/// twice; objects that were not read from a file leave no trace in the checkpoint; what the output folder holds besides
/// parts does not stop the export.
/// </summary>
public class RotationResumeTests : IClassFixture<PowerShellFixture>, IDisposable
{
    private const string Header = "transaction_id,customer_id,amount\n";
    private const string Follow =
        "Import-Transaction $feed -Wait -ResumeFrom $out | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -RolloverInterval 3600 -PassThru";
    private const string Resume =
        "Import-Transaction $feed -ResumeFrom $out | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out";

    private readonly PowerShellSession _shell;
    private readonly TempDirectory _temp = new();
    private readonly string _feed;

    public RotationResumeTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
        _feed = _temp.File("feed.csv", Header + "1,C1,10\n2,C2,9000\n");
    }

    public void Dispose() => _temp.Dispose();

    private string Output => _temp.Combine("out");

    private string[] CommittedLines() => OutputFolderContent.CommittedLines(Output);

    private void FollowUntilTheAlertThen(Action beforeStop)
    {
        using var live = _shell.Start(Follow, new { feed = _feed, @out = Output });
        Eventually.Until(() => live.Transactions.Length == 1, "row 2 to pass through");
        beforeStop();
        live.Stop();
    }

    [Fact]
    public void A_feed_rotated_away_before_the_stop_and_created_again_after_it_is_read_from_the_top_with_a_warning()
    {
        FollowUntilTheAlertThen(() => File.Move(_feed, _feed + ".1"));
        File.WriteAllText(_feed, Header + "3,C3,9100\n4,C4,9200\n");

        var resumed = _shell.Run(Resume, new { feed = _feed, @out = Output });

        Assert.Contains(_feed, Assert.Single(resumed.Warnings));
        Assert.Empty(resumed.Errors);
        Assert.Equal(["2, C2, 9000", "3, C3, 9100", "4, C4, 9200"], CommittedLines());
    }

    [Fact]
    public void A_feed_rotated_while_followed_loses_no_alert_and_repeats_none_over_a_stop_and_a_resume()
    {
        // Whether the follower has read the new file when the stop comes or not, the output must end up the same.
        FollowUntilTheAlertThen(() =>
        {
            File.Move(_feed, _feed + ".1");
            File.WriteAllText(_feed, Header + "3,C3,9100\n4,C4,9200\n");
        });

        var resumed = _shell.Run(Resume, new { feed = _feed, @out = Output });
        var again = _shell.Run(Resume, new { feed = _feed, @out = Output });

        Assert.Empty(resumed.Errors);
        Assert.Empty(again.Warnings);
        Assert.Equal(["2, C2, 9000", "3, C3, 9100", "4, C4, 9200"], CommittedLines());
    }

    [Fact]
    public void A_feed_rewritten_in_place_while_followed_is_not_taken_for_the_old_one()
    {
        FollowUntilTheAlertThen(() => { });
        File.WriteAllText(_feed, Header + "5,C5,9500\n6,C6,9600\n7,C7,9700\n");

        var resumed = _shell.Run(Resume, new { feed = _feed, @out = Output });

        Assert.Single(resumed.Warnings);
        Assert.Equal(["2, C2, 9000", "5, C5, 9500", "6, C6, 9600", "7, C7, 9700"], CommittedLines());
    }

    [Theory]
    [InlineData("[pscustomobject]@{ transaction_id = '2'; customer_id = 'C2'; amount = 9000 }")]
    [InlineData("@{ transaction_id = '2'; customer_id = 'C2'; amount = '9000' }")]
    [InlineData("Import-Transaction $feed | ForEach-Object { [pscustomobject]@{ transaction_id = $_.TransactionId; customer_id = $_.CustomerId; amount = $_.Amount } }")]
    public void Objects_that_were_not_read_by_Import_Transaction_write_no_checkpoint_entry(string source)
    {
        var result = _shell.Run(source + " | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out", new { feed = _feed, @out = Output });

        Assert.Empty(result.Errors);
        Assert.Equal(["2, C2, 9000"], CommittedLines());
        Assert.Equal(0, CheckpointJournal.ReadPositions(Output).Count);
        Assert.False(File.Exists(CheckpointJournal.PathOf(Output, 0)));
    }

    [Fact]
    public void Converted_rows_write_no_checkpoint_entry_beside_the_file_that_Import_Transaction_read()
    {
        // What Import-Csv emits: a PSCustomObject of strings, named by the header.
        _shell.Run(
            "& { [pscustomobject]@{ transaction_id = '8'; customer_id = 'C8'; amount = '9800' }; Import-Transaction $feed } | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out",
            new { feed = _feed, @out = Output });

        Assert.Equal(["8, C8, 9800", "2, C2, 9000"], CommittedLines());
        var positions = CheckpointJournal.ReadPositions(Output);
        Assert.Equal(1, positions.Count);
        Assert.Equal(3, positions.SkipThroughLine(_feed, out _));
        Assert.DoesNotContain("pipeline", File.ReadAllText(CheckpointJournal.PathOf(Output, 0)));
    }

    [Fact]
    public void A_folder_named_like_a_part_in_the_output_folder_does_not_stop_the_export()
    {
        Directory.CreateDirectory(Path.Combine(Output, "part-0-00000"));

        var result = _shell.Run(Resume, new { feed = _feed, @out = Output });

        Assert.Empty(result.Errors);
        Assert.Equal("2, C2, 9000\n", File.ReadAllText(Path.Combine(Output, "part-0-00001")));
    }

    [Fact]
    public void A_commit_that_fails_stops_the_export_with_WriteFailed()
    {
        // A folder in the part's way once numbering was done: the commit's rename fails.
        var result = _shell.Run(
            "Import-Transaction $feed | Select-SuspiciousTransaction | ForEach-Object { $null = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($out, 'part-0-00000')); $_ } | Export-SuspiciousTransaction $out",
            new { feed = _feed, @out = Output },
            expectFailure: true);

        Assert.Equal(["WriteFailed"], result.ErrorIds);
        Assert.True(File.Exists(Path.Combine(Output, ".part-0-00000.inprogress")));
    }
}
