using System.Text;
using AnomalyTools.Checkpoints;
using Xunit;

namespace AnomalyTools.Tests.Pipelines;

/// <summary>Import-Transaction -ResumeFrom with the output folder of Export-SuspiciousTransaction: exactly once over re-runs.</summary>
public class ResumeTests : IClassFixture<PowerShellFixture>, IDisposable
{
    private const string Header = "transaction_id,customer_id,amount,timestamp\n";
    private const string Job =
        "Import-Transaction $in -ResumeFrom $out | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out";

    private readonly PowerShellSession _shell;
    private readonly TempDirectory _temp = new();
    private readonly string _input;

    public ResumeTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
        _input = _temp.File("in.csv", Header + "1,C1,9000,2024-03-01T07:10:00Z\n2,C2,10,2024-03-01T07:20:00Z\n3,C3,9100,2024-03-01T08:05:00Z\n4,C4,20,2024-03-01T08:30:00Z\n");
    }

    private string Output => _temp.Combine("out");

    private string[] Files(string? folder = null) =>
        Directory.GetFiles(folder ?? Output).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private string Part(params string[] path) => Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine([Output, .. path])));

    private PipelineResult RunJob(string job = Job, bool expectFailure = false) =>
        _shell.Run(job, new { @in = _input, @out = Output }, expectFailure);

    [Fact]
    public void The_first_run_reads_everything_and_a_rerun_of_the_finished_batch_adds_nothing()
    {
        var first = RunJob();
        var second = RunJob();

        Assert.Empty(first.Errors);
        Assert.Empty(second.Errors);
        Assert.Equal(["part-0-00000"], Files());
        Assert.Equal("1, C1, 9000\n3, C3, 9100\n", Part("part-0-00000"));
    }

    [Fact]
    public void A_rerun_after_the_input_grew_writes_only_the_new_suspicious_rows()
    {
        RunJob();
        File.AppendAllText(_input, "5,C5,9500,2024-03-01T09:00:00Z\n6,C6,30,2024-03-01T09:01:00Z\n7,C7,9700,2024-03-01T09:02:00Z\n");

        RunJob();

        Assert.Equal(["part-0-00000", "part-0-00001"], Files());
        Assert.Equal("5, C5, 9500\n7, C7, 9700\n", Part("part-0-00001"));
    }

    [Fact]
    public void Bad_rows_before_the_resume_point_are_not_reported_again()
    {
        File.AppendAllText(_input, "5,C5,lots,2024-03-01T09:00:00Z\n6,C6,9600,2024-03-01T09:01:00Z\n");
        var first = RunJob();
        File.AppendAllText(_input, "7,C7,9700,2024-03-01T09:02:00Z\n");

        var second = RunJob();

        Assert.Equal(["InvalidAmount"], first.ErrorIds);
        Assert.Empty(second.Errors);
        Assert.Equal("7, C7, 9700\n", Part("part-0-00001"));
    }

    [Fact]
    public void A_replaced_input_is_read_from_the_top_with_a_warning()
    {
        RunJob();
        File.WriteAllText(_input, Header + "9,C9,9900,2024-03-02T07:00:00Z\n");

        var result = RunJob();

        Assert.Contains(_input, Assert.Single(result.Warnings));
        Assert.Equal("9, C9, 9900\n", Part("part-0-00001"));
    }

    [Fact]
    public void A_crash_left_in_progress_part_is_rolled_back_and_its_rows_written_again()
    {
        RunJob();
        File.AppendAllText(_input, "5,C5,9500,2024-03-01T09:00:00Z\n");
        // What a crash leaves: the new row written into a part that was never committed.
        File.WriteAllText(Path.Combine(Output, ".part-0-00001.inprogress"), "5, C5, 95");

        var result = RunJob();

        Assert.Contains(".part-0-00001.inprogress", Assert.Single(result.Warnings));
        Assert.Equal(["part-0-00000", "part-0-00002"], Files());
        Assert.Equal("5, C5, 9500\n", Part("part-0-00002"));
    }

    [Fact]
    public void Resuming_a_followed_file_starts_after_the_committed_rows()
    {
        RunJob();
        File.AppendAllText(_input, "5,C5,9500,2024-03-01T09:00:00Z\n");

        var result = _shell.Run(
            "Import-Transaction $in -ResumeFrom $out -Wait -IdleTimeout 0.3 | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru",
            new { @in = _input, @out = Output });

        Assert.Equal(["5"], result.Objects<Transaction>().Select(t => t.TransactionId));
        Assert.Equal("5, C5, 9500\n", Part("part-0-00001"));
    }

    [Fact]
    public void Event_time_buckets_and_a_success_marker()
    {
        var result = RunJob(Job + " -BucketBy EventTime -SuccessMarker");

        Assert.Empty(result.Errors);
        Assert.Equal(["_SUCCESS"], Files());
        Assert.Equal("1, C1, 9000\n", Part("2024-03-01--07", "part-0-00000"));
        Assert.Equal("3, C3, 9100\n", Part("2024-03-01--08", "part-0-00001"));
        Assert.Equal(4, CheckpointJournal.ReadPositions(Output).SkipThroughLine(_input, out _));
    }

    [Fact]
    public void A_stopped_pipeline_writes_no_success_marker()
    {
        RunJob(
            "& { Import-Transaction $in; throw 'upstream failed' } | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -SuccessMarker",
            expectFailure: true);

        Assert.Equal(["part-0-00000"], Files());
    }

    [Fact]
    public void An_unusable_bucket_format_is_refused()
    {
        var result = RunJob(Job + " -BucketBy ProcessingTime -BucketFormat 'yyyy/MM'", expectFailure: true);

        Assert.Equal(["InvalidBucketFormat"], result.ErrorIds);
        Assert.False(Directory.Exists(Output) && Files().Length > 0);
    }

    [Fact]
    public void A_damaged_checkpoint_stops_both_ends_instead_of_writing_everything_again()
    {
        RunJob();
        File.WriteAllText(CheckpointJournal.PathOf(Output, 0), "damaged");

        var import = _shell.Run("Import-Transaction $in -ResumeFrom $out", new { @in = _input, @out = Output }, expectFailure: true);
        var export = _shell.Run("Import-Transaction $in | Export-SuspiciousTransaction $out", new { @in = _input, @out = Output }, expectFailure: true);

        Assert.Equal(["CheckpointDamaged"], import.ErrorIds);
        Assert.Equal(["CheckpointDamaged"], export.ErrorIds);
        Assert.Equal(["part-0-00000"], Files());
    }

    [Fact]
    public void A_second_pipeline_into_the_same_folder_is_refused_while_the_first_runs()
    {
        using var live = _shell.Start("Import-Transaction $in -Wait | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru", new { @in = _input, @out = Output });
        Eventually.Until(() => live.Transactions.Length == 2, "the first pipeline to write");

        using var second = new PowerShellSession();
        var result = second.Run("Import-Transaction $in | Export-SuspiciousTransaction $out", new { @in = _input, @out = Output }, expectFailure: true);
        live.Stop();

        Assert.Equal(["OutputInUse"], result.ErrorIds);
        Assert.Equal(["part-0-00000"], Files());
        Assert.Equal("1, C1, 9000\n3, C3, 9100\n", Part("part-0-00000"));
    }

    [Fact]
    public void A_write_that_fails_stops_with_WriteFailed_and_a_resumed_run_writes_what_was_lost()
    {
        using (var live = _shell.Start(
            "Import-Transaction $in -Wait -ResumeFrom $out | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -RolloverInterval 0.2 -PassThru",
            new { @in = _input, @out = Output }))
        {
            Eventually.Until(() => File.Exists(Path.Combine(Output, "part-0-00000")), "the first part");
            // The folder disappears under the running sink, as an unmounted or deleted volume would.
            Directory.Delete(Output, recursive: true);
            File.AppendAllText(_input, "5,C5,9500,2024-03-01T09:00:00Z\n");
            Eventually.Until(() => live.Completed, "the pipeline to stop");

            Assert.Equal(["1", "3"], live.Transactions.Select(t => t.TransactionId));
            Assert.Equal(["WriteFailed"], live.ErrorIds);
        }
        File.AppendAllText(_input, "6,C6,9600,2024-03-01T09:01:00Z\n");

        var resumed = RunJob();

        Assert.Empty(resumed.Errors);
        Assert.Equal(["part-0-00000"], Files());
        Assert.Equal("1, C1, 9000\n3, C3, 9100\n5, C5, 9500\n6, C6, 9600\n", Part("part-0-00000"));
    }

    public void Dispose() => _temp.Dispose();
}
