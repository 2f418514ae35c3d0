using System.Text;
using Xunit;

namespace AnomalyTools.Tests.Pipelines;

/// <summary>Live feeds: a file that keeps growing while the pipeline follows it, and what is committed on stop.</summary>
public class RealTimeTests : IClassFixture<PowerShellFixture>, IDisposable
{
    private const string Header = "transaction_id,customer_id,amount,note\n";
    private const string LivePipelineText =
        "Import-Transaction $feed -Wait | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru";

    private readonly PowerShellSession _shell;
    private readonly TempDirectory _temp = new();
    private readonly string _feed;

    public RealTimeTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
        _feed = _temp.File("feed.csv", Header);
    }

    public void Dispose() => _temp.Dispose();

    private string Output => _temp.Combine("out");

    private string[] Files() =>
        Directory.Exists(Output) ? Directory.GetFiles(Output).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray() : [];

    private string[] CommittedLines() => OutputFolderContent.CommittedLines(Output);

    private static string Row(int id, decimal amount) => $"{id},C{id % 7},{amount.ToString(System.Globalization.CultureInfo.InvariantCulture)},n{id}\n";

    [Fact]
    public void Appended_rows_reach_the_screen_then_a_committed_part_and_a_stop_commits_the_rest()
    {
        using var live = _shell.Start(LivePipelineText.Replace("-PassThru", "-RolloverInterval 0.5 -PassThru"), new { feed = _feed, @out = Output });

        Feed.Append(_feed, Row(1, 9000.01m) + Row(2, 10m) + "3,C3,85");
        Feed.Append(_feed, "00.00,split\n");
        Eventually.Until(() => live.Transactions.Length == 2, "rows 1 and 3 to pass through");
        Assert.Equal(["1", "3"], live.Transactions.Select(t => t.TransactionId));
        Assert.Equal(8500.00m, live.Transactions[1].Amount);

        Eventually.Until(() => Files().Contains("part-0-00000"), "the part to roll on time while no row arrives");
        Assert.Equal(["1, C1, 9000.01", "3, C3, 8500.00"], CommittedLines());

        Feed.Append(_feed, Row(4, 8000m) + Row(5, 12345.67m));
        Eventually.Until(() => live.Transactions.Length == 3, "row 5 to pass through");
        live.Stop();

        Assert.DoesNotContain(Files(), f => f.EndsWith(".inprogress", StringComparison.Ordinal));
        Assert.Equal(["1, C1, 9000.01", "3, C3, 8500.00", "5, C5, 12345.67"], CommittedLines());
    }

    [Fact]
    public void A_stop_while_a_writer_keeps_appending_loses_nothing_and_duplicates_nothing()
    {
        using var writing = new CancellationTokenSource();
        var written = 0;
        var writer = new Thread(() =>
        {
            for (var id = 1; !writing.IsCancellationRequested; id++)
            {
                var row = Row(id, id % 3 == 0 ? 9000m + id : 100m);
                Feed.Append(_feed, row[..5]);
                Feed.Append(_feed, row[5..]);
                written = id;
                if (id % 50 == 0) Thread.Sleep(1);
            }
        });
        writer.Start();
        using var live = _shell.Start(LivePipelineText, new { feed = _feed, @out = Output });
        Eventually.Until(() => live.Transactions.Length >= 200, "200 rows to pass through");

        live.Stop();
        writing.Cancel();
        writer.Join();

        Assert.DoesNotContain(Files(), f => f.EndsWith(".inprogress", StringComparison.Ordinal));
        var committed = CommittedLines();
        var expected = Enumerable.Range(1, written).Where(id => id % 3 == 0).Select(id => $"{id}, C{id % 7}, {9000 + id}").ToArray();
        // Every row passed on before the stop is committed; a row on its way at the stop may be committed too.
        Assert.Equal(expected.Take(committed.Length), committed);
        Assert.InRange(committed.Length, live.Transactions.Length, live.Transactions.Length + 1);
        Assert.Empty(live.ErrorIds);
    }

    [Theory]
    [InlineData("-RolloverInterval 0.3 -InactivityInterval 3600")]
    [InlineData("-RolloverInterval 3600 -InactivityInterval 0.3")]
    [InlineData("-RolloverInterval 00:00:00.3 -InactivityInterval 01:00:00")]
    public void A_part_rolls_on_time_with_no_new_input(string rolling)
    {
        Feed.Append(_feed, Row(1, 9000m));
        using var live = _shell.Start(LivePipelineText.Replace("-PassThru", rolling), new { feed = _feed, @out = Output });

        Eventually.Until(() => Files().SequenceEqual(["part-0-00000"]), "the part to be committed by the timer");

        Assert.False(live.Completed);
        Assert.Equal(["1, C1, 9000"], CommittedLines());
    }

    [Fact]
    public void IdleTimeout_ends_the_pipeline_commits_the_part_and_warns_of_an_incomplete_last_row()
    {
        Feed.Append(_feed, Row(1, 9000m) + Row(2, 9100m) + "3,C3,99");

        var result = _shell.Run(
            "Import-Transaction $feed -Wait -IdleTimeout 0.5 | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru",
            new { feed = _feed, @out = Output });

        Assert.Equal(["1", "2"], result.Objects<Transaction>().Select(t => t.TransactionId));
        Assert.Equal(["part-0-00000"], Files());
        Assert.Equal(["1, C1, 9000", "2, C2, 9100"], CommittedLines());
        var warning = Assert.Single(result.Warnings);
        Assert.StartsWith(_feed + ":4: the last record has no line end yet", warning);
    }

    [Fact]
    public void A_wildcard_picks_up_files_that_come_to_match_it()
    {
        var incoming = Directory.CreateDirectory(_temp.Combine("incoming")).FullName;
        File.WriteAllText(Path.Combine(incoming, "a.csv"), Header + Row(1, 9000m));
        using var live = _shell.Start(
            "Import-Transaction ([IO.Path]::Combine($incoming, '*.csv')) -Wait | Select-SuspiciousTransaction",
            new { incoming });
        Eventually.Until(() => live.Transactions.Length == 1, "the first file's row");

        File.WriteAllText(Path.Combine(incoming, "b.txt"), Header + Row(2, 9000m));
        File.WriteAllText(Path.Combine(incoming, "c.csv"), Header + Row(3, 9000m));
        Feed.Append(Path.Combine(incoming, "a.csv"), Row(4, 9000m));

        Eventually.Until(() => live.Transactions.Length == 3, "the new file's row and the appended one");
        Assert.Equal(["1", "3", "4"], live.Transactions.Select(t => t.TransactionId).Order());
        Assert.Empty(live.ErrorIds);
    }

    [Fact]
    public void A_wildcard_that_matches_nothing_yet_is_waited_for_but_a_missing_file_is_an_error()
    {
        var result = _shell.Run(
            "Import-Transaction ([IO.Path]::Combine($dir, 'none*.csv')), ([IO.Path]::Combine($dir, 'missing.csv')) -Wait -IdleTimeout 0.2",
            new { dir = _temp.Path });

        Assert.Equal(["PathNotFound"], result.ErrorIds);
        Assert.EndsWith("missing.csv", result.Errors[0].TargetObject.ToString());
    }

    [Fact]
    public void Truncation_and_rotation_are_warnings_and_the_new_content_is_read_from_the_top()
    {
        Feed.Append(_feed, Row(1, 9000m));
        using var live = _shell.Start("Import-Transaction $feed -Wait", new { feed = _feed });
        Eventually.Until(() => live.Transactions.Length == 1, "the first row");

        File.WriteAllText(_feed, Header);
        Feed.Append(_feed, Row(2, 1m));
        Eventually.Until(() => live.Transactions.Length == 2, "the row after truncation");
        File.Move(_feed, _feed + ".1");
        File.WriteAllText(_feed, Header + Row(3, 2m) + Row(4, 3m));
        Eventually.Until(() => live.Transactions.Length == 4, "the rows of the new file");

        Assert.Equal(["1", "2", "3", "4"], live.Transactions.Select(t => t.TransactionId));
        Assert.Equal([2L, 2L, 2L, 3L], live.Transactions.Select(t => t.LineNumber));
        Assert.Collection(live.Warnings,
            w => Assert.Contains("was truncated", w),
            w => Assert.Contains("now names another file", w));
    }

    [Fact]
    public void An_exception_downstream_commits_the_part_in_progress()
    {
        Feed.Append(_feed, Row(1, 9000m) + Row(2, 9100m) + Row(3, 9200m));

        var error = Assert.Throws<System.Management.Automation.RuntimeException>(() => _shell.Run(
            "Import-Transaction $feed -Wait | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru | " +
            "ForEach-Object { if ($_.TransactionId -eq '2') { throw 'downstream failure' } }",
            new { feed = _feed, @out = Output }));

        Assert.Contains("downstream failure", error.Message);
        Assert.Equal(["part-0-00000"], Files());
        Assert.Equal(["1, C1, 9000", "2, C2, 9100"], CommittedLines());
    }

    [Fact]
    public void IdleTimeout_without_Wait_is_refused()
    {
        var result = _shell.Run("Import-Transaction $feed -IdleTimeout 5", new { feed = _feed }, expectFailure: true);

        Assert.Equal(["IdleTimeoutRequiresWait"], result.ErrorIds);
    }

    [Theory]
    [InlineData("Import-Transaction $feed -Wait -IdleTimeout 0")]
    [InlineData("Import-Transaction $feed -Wait -IdleTimeout -1")]
    [InlineData("Export-SuspiciousTransaction $out -RolloverInterval 0 -InputObject $null")]
    [InlineData("Export-SuspiciousTransaction $out -InactivityInterval 00:00:00 -InputObject $null")]
    public void Intervals_must_be_positive(string command)
    {
        var result = _shell.Run(command, new { feed = _feed, @out = Output });

        Assert.Equal(["ParameterArgumentValidationError"], result.ErrorIds);
        Assert.Contains("not longer than zero", result.Errors[0].Exception.Message);
        Assert.False(Directory.Exists(Output));
    }

    [Theory]
    [InlineData("5", "00:00:05")]
    [InlineData("'5'", "00:00:05")]
    [InlineData("0.25", "00:00:00.2500000")]
    [InlineData("([TimeSpan]'00:01:00')", "00:01:00")]
    [InlineData("'00:01:00'", "00:01:00")]
    public void Intervals_are_seconds_when_given_as_numbers(string value, string expected)
    {
        var result = _shell.Run(
            "function Get-Interval { param([AnomalyTools.Commands.IntervalTransformation()][TimeSpan] $Interval) $Interval.ToString() }; " +
            "Get-Interval " + value);

        Assert.Equal(expected, Assert.Single(result.Output).ToString());
    }
}
