using System.Text;
using AnomalyTools.Checkpoints;
using AnomalyTools.Platform;
using AnomalyTools.Sinks.PartFiles;
using AnomalyTools.Sources.Csv;
using AnomalyTools.Sources.Files;
using AnomalyTools.Tests.Following;
using Xunit;

namespace AnomalyTools.Tests.Core;

/// <summary>
/// What the sink records and how it fails: the input a checkpoint names is the file the rows were read from, a failed
/// sync or an unreadable fingerprint is an error, Dispose never commits nor throws, folders named like parts and parts
/// rolled back keep their numbers.
/// </summary>
public class SinkIdentityAndDurabilityTests : IDisposable
{
    private const string Header = "transaction_id,customer_id,amount\n";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Output => _temp.Combine("out");

    private string[] Entries(string? folder = null) =>
        Directory.GetFileSystemEntries(folder ?? Output).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    // As Import-Transaction reads a file: its reader carries the file as the open handle saw it.
    private static Transaction[] ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        var input = InputFile.Read(stream, path);
        using var reader = new TransactionCsvReader(stream, path) { Input = input };
        return reader.ReadAll().Select(r => r.Transaction!).ToArray();
    }

    private long Skip(string path, out bool changed) => CheckpointJournal.ReadPositions(Output).SkipThroughLine(path, out changed);

    [Fact]
    public void A_checkpoint_names_the_file_the_rows_were_read_from_even_when_another_has_taken_its_path_by_the_commit()
    {
        var feed = _temp.File("feed.csv", Header + "1,C1,10\n2,C2,9000\n");
        var suspicious = ReadFile(feed)[1];
        using var sink = new PartFileSink(new PartFileSinkOptions(Output));
        sink.Write(suspicious);

        File.Move(feed, feed + ".1");
        File.WriteAllText(feed, Header + "3,C3,9100\n4,C4,9200\n");
        sink.Close();

        Assert.Equal(0, Skip(feed, out var changed));
        Assert.True(changed, "the new feed.csv must not pass for the file whose line 3 was committed");
    }

    [Fact]
    public void A_checkpoint_names_the_file_the_rows_were_read_from_even_when_its_path_is_empty_at_the_commit()
    {
        var feed = _temp.File("feed.csv", Header + "1,C1,10\n2,C2,9000\n");
        using var sink = new PartFileSink(new PartFileSinkOptions(Output));
        sink.Write(ReadFile(feed)[1]);
        File.Move(feed, feed + ".1");
        sink.Close();

        File.WriteAllText(feed, Header + "3,C3,9100\n4,C4,9200\n");
        Assert.Equal(0, Skip(feed, out var changed));
        Assert.True(changed);
    }

    [Fact]
    public void The_reader_fingerprints_the_bytes_of_its_own_handle_and_leaves_it_where_it_was()
    {
        var feed = _temp.File("feed.csv", Header + "1,C1,10\n");
        using var stream = File.OpenRead(feed);

        var input = InputFile.Read(stream, feed);
        File.Delete(feed);
        File.WriteAllText(feed, Header + "9,C9,9900\n");

        Assert.Equal(0, stream.Position);
        Assert.Equal(FileFingerprint.Of(Encoding.UTF8.GetBytes(Header + "1,C1,10\n")).Hash, input.Fingerprint.Hash);
        Assert.False(input.Matches(FileFingerprint.Of(feed)));
    }

    [Fact]
    public void A_followed_file_gives_each_record_the_identity_of_the_file_it_came_from_across_a_rotation()
    {
        var feed = _temp.File("feed.csv", Header + "1,C1,10\n");
        using var follower = new FileFollower(options: new FollowOptions { ReplacementCheckInterval = TimeSpan.FromMilliseconds(20) });
        follower.Add(feed);
        using var running = new RunningFollower(follower);
        running.WaitForIds("1");

        File.Move(feed, feed + ".1");
        Feed.Append(feed + ".1", "2,C2,20\n");
        running.WaitForIds("1", "2");
        File.WriteAllText(feed, Header + "3,C3,30\n");
        running.WaitForIds("1", "2", "3");

        var inputs = running.Transactions.Select(t => t.Input!).ToArray();
        Assert.All(inputs, input => Assert.Equal(feed, input.Path));
        Assert.True(inputs[1].Matches(FileFingerprint.Of(Encoding.UTF8.GetBytes(Header + "1,C1,10\n2,C2,20\n"))));
        Assert.True(inputs[2].Matches(FileFingerprint.Of(feed)));
        Assert.False(inputs[2].Matches(inputs[1].Fingerprint));
    }

    [Fact]
    public void Transactions_that_were_not_read_from_a_file_go_into_no_checkpoint_whatever_source_they_name()
    {
        var input = _temp.File("in.csv", Header + "1,C1,9000\n");
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(new Transaction("1", "C1", 9000m, null, null, "pipeline input", 1));
            sink.Write(new Transaction("2", "C2", 9000m, null, null, input, 2));
            sink.Close();
        }

        Assert.Equal(["part-0-00000"], Entries().Where(e => e != CheckpointJournal.DirectoryName));
        Assert.Equal(0, CheckpointJournal.ReadPositions(Output).Count);
    }

    [Fact]
    public void Findings_keep_the_file_a_transaction_was_read_from()
    {
        var input = _temp.File("in.csv", Header + "1,C1,9000\n");
        var read = ReadFile(input)[0];

        var flagged = read.WithFindings([new Finding("Threshold", "amount 9000 exceeds the threshold 8000", 9000m, 8000m)]);

        Assert.Same(read.Input, flagged.Input);
    }

    [Fact]
    public void A_fingerprint_that_cannot_be_read_is_an_error_and_no_fingerprint_matches_no_file()
    {
        var missing = _temp.Combine("missing.csv");
        var present = _temp.File("present.csv", Header);

        Assert.ThrowsAny<IOException>(() => FileFingerprint.Of(missing));
        Assert.ThrowsAny<IOException>(() => FileFingerprint.Of(present).Matches(missing));
        Assert.False(default(FileFingerprint).Matches(present));
        Assert.False(default(FileFingerprint).Matches(File.ReadAllBytes(present)));
    }

    [Fact]
    public void A_checkpoint_entry_without_a_fingerprint_covers_nothing()
    {
        var input = _temp.File("in.csv", Header + "1,C1,9000\n");
        Directory.CreateDirectory(Output);
        File.WriteAllText(Path.Combine(Output, "part-0-00000"), "1, C1, 9000\n");
        CheckpointJournal.WritePending(Output, 0, new Checkpoint("part-0-00000", [new FilePosition(input, 2, default)]));

        Assert.Equal(0, Skip(input, out var changed));
        Assert.True(changed);
    }

    [Fact]
    public void A_resumed_file_that_cannot_be_read_is_an_error_never_covered()
    {
        var input = _temp.File("in.csv", Header + "1,C1,9000\n");
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(ReadFile(input)[0]);
            sink.Close();
        }
        var positions = CheckpointJournal.ReadPositions(Output);
        File.Delete(input);
        Directory.CreateDirectory(input);

        var error = Assert.ThrowsAny<Exception>(() => positions.SkipThroughLine(input, out _));
        Assert.True(error is IOException || error is UnauthorizedAccessException, error.ToString());
    }

    [Fact]
    public void Syncing_a_folder_that_cannot_be_opened_fails()
    {
        if (OperatingSystem.IsWindows()) return;

        var error = Assert.ThrowsAny<IOException>(() => DirectorySync.Sync(_temp.Combine("gone")));
        Assert.Contains(_temp.Combine("gone"), error.Message);
    }

    [Fact]
    public void A_folder_whose_fsync_fails_fails_the_sync()
    {
        // procfs has no fsync: the call fails (EINVAL) as it does on file systems that cannot make a rename durable.
        if (!OperatingSystem.IsLinux()) return;

        Assert.ThrowsAny<IOException>(() => DirectorySync.Sync("/proc/self"));
    }

    [Fact]
    public void Dispose_without_close_commits_nothing_and_the_next_sink_rolls_the_part_back()
    {
        var input = _temp.File("in.csv", Header + "1,C1,9000\n");
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(ReadFile(input)[0]);
        }

        Assert.Equal([".part-0-00000.inprogress", CheckpointJournal.DirectoryName], Entries());
        Assert.Equal(0, CheckpointJournal.ReadPositions(Output).Count);
        using (var next = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            Assert.Single(next.AbandonedParts);
            next.Close();
        }
    }

    /// <summary>A part file on a disk that is full from the start.</summary>
    private sealed class FullDisk(string path) : FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 1)
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("No space left on device");
    }

    private PartFileSinkOptions OnFullDisk(string folder) => new(_temp.Combine(folder)) { OpenPartFile = path => new FullDisk(path) };

    [Fact]
    public void Dispose_never_throws_after_a_failed_write_and_close_throws_it()
    {
        var disposed = new PartFileSink(OnFullDisk("a"));
        Assert.ThrowsAny<IOException>(() => disposed.Write(new Transaction("1", "C1", 9000m)));
        disposed.Dispose();
        disposed.Dispose();

        var closed = new PartFileSink(OnFullDisk("b"));
        Assert.ThrowsAny<IOException>(() => closed.Write(new Transaction("1", "C1", 9000m)));
        Assert.ThrowsAny<IOException>(closed.Close);
        closed.Dispose();
        Assert.Throws<ObjectDisposedException>(closed.Close);
    }

    [Fact]
    public void Dispose_never_throws_when_the_folder_is_gone_and_close_throws()
    {
        var disposed = new PartFileSink(new PartFileSinkOptions(_temp.Combine("a")) { RolloverInterval = TimeSpan.FromMilliseconds(10) });
        disposed.Write(new Transaction("1", "C1", 9000m));
        var closed = new PartFileSink(new PartFileSinkOptions(_temp.Combine("b")) { RolloverInterval = TimeSpan.FromMilliseconds(10) });
        closed.Write(new Transaction("1", "C1", 9000m));
        Directory.Delete(_temp.Combine("a"), recursive: true);
        Directory.Delete(_temp.Combine("b"), recursive: true);

        disposed.Dispose();
        // Whether the roll on time failed first or the commit of Close fails, Close says so.
        Assert.ThrowsAny<IOException>(closed.Close);
    }

    [Fact]
    public void A_write_that_fails_says_which_part()
    {
        using var sink = new PartFileSink(OnFullDisk("out"));

        var error = Assert.ThrowsAny<IOException>(() => sink.Write(new Transaction("1", "C1", 9000m)));

        Assert.Contains(Path.Combine(Output, ".part-0-00000.inprogress"), error.Message);
    }

    [Theory]
    [InlineData("part-0-00000", "part-0-00001")]
    [InlineData("part-0-00004", "part-0-00005")]
    [InlineData(".part-0-00002.inprogress", "part-0-00003")]
    public void A_folder_named_like_a_part_keeps_its_number_and_is_left_alone(string folder, string expectedPart)
    {
        Directory.CreateDirectory(Path.Combine(Output, folder));
        File.WriteAllText(Path.Combine(Output, folder, "inside"), "not ours\n");

        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            Assert.Empty(sink.AbandonedParts);
            sink.Write(new Transaction("1", "C1", 9000m));
            sink.Close();
        }

        Assert.Equal("1, C1, 9000\n", File.ReadAllText(Path.Combine(Output, expectedPart)));
        Assert.Equal("not ours\n", File.ReadAllText(Path.Combine(Output, folder, "inside")));
    }

    [Fact]
    public void A_folder_named_like_a_part_inside_a_bucket_keeps_its_number()
    {
        var bucket = Path.Combine(Output, "all");
        Directory.CreateDirectory(Path.Combine(bucket, "part-0-00000"));

        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { BucketBy = BucketBy.ProcessingTime, BucketFormat = "'all'" }))
        {
            sink.Write(new Transaction("1", "C1", 9000m));
            sink.Close();
        }

        Assert.Equal(["part-0-00000", "part-0-00001"], Entries(bucket));
        Assert.True(File.Exists(Path.Combine(bucket, "part-0-00001")));
    }

    [Fact]
    public void A_commit_whose_rename_fails_says_which_part_and_which_name()
    {
        using var sink = new PartFileSink(new PartFileSinkOptions(Output));
        sink.Write(new Transaction("1", "C1", 9000m));
        // Something takes the part's name after the sink numbered it.
        Directory.CreateDirectory(Path.Combine(Output, "part-0-00000"));

        var error = Assert.ThrowsAny<IOException>(sink.Close);

        Assert.Contains(Path.Combine(Output, ".part-0-00000.inprogress"), error.Message);
        Assert.Contains(Path.Combine(Output, "part-0-00000"), error.Message);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void A_rolled_back_part_number_never_comes_back_even_when_the_run_that_rolled_it_back_commits_nothing()
    {
        var input = _temp.File("in.csv", Header + "1,C1,9000\n2,C2,9100\n");
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(ReadFile(input)[0]);
            sink.Close();
        }
        File.WriteAllText(Path.Combine(Output, ".part-0-00001.inprogress"), "2, C2, 91");

        // The run that rolls part 1 back ends before it commits anything, as a kill right after the rollback would.
        using (var rollingBack = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            Assert.Single(rollingBack.AbandonedParts);
        }
        Assert.Equal(["part-0-00000"], Entries().Where(e => e != CheckpointJournal.DirectoryName));

        using (var next = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            next.Write(ReadFile(input)[1]);
            next.Close();
        }
        Assert.Equal(["part-0-00000", "part-0-00002"], Entries().Where(e => e != CheckpointJournal.DirectoryName));
    }

    [Fact]
    public void Rolled_back_numbers_stay_used_over_many_rollbacks_in_buckets_too()
    {
        var bucket = Path.Combine(Output, "all");
        Directory.CreateDirectory(bucket);
        File.WriteAllText(Path.Combine(bucket, ".part-0-00007.inprogress"), "x");
        new PartFileSink(new PartFileSinkOptions(Output)).Dispose();
        File.WriteAllText(Path.Combine(Output, ".part-0-00003.inprogress"), "y");
        new PartFileSink(new PartFileSinkOptions(Output)).Dispose();

        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { BucketBy = BucketBy.ProcessingTime, BucketFormat = "'all'" }))
        {
            sink.Write(new Transaction("1", "C1", 9000m));
            sink.Close();
        }

        Assert.Equal(["part-0-00008"], Entries(bucket));
    }

    [Fact]
    public void A_damaged_numbering_record_stops_the_sink_rather_than_numbering_from_a_guess()
    {
        Directory.CreateDirectory(Path.Combine(Output, CheckpointJournal.DirectoryName));
        File.WriteAllText(Path.Combine(Output, CheckpointJournal.DirectoryName, "numbering-0"), "AnomalyTools numbering 1\nnext\tmany\nend\n");

        Assert.Throws<InvalidDataException>(() => new PartFileSink(new PartFileSinkOptions(Output)));
    }
}
