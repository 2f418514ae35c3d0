using System.Text;
using AnomalyTools.Checkpoints;
using AnomalyTools.Sinks;
using AnomalyTools.Sinks.PartFiles;
using AnomalyTools.Sources;
using AnomalyTools.Sources.Csv;
using AnomalyTools.Sources.Files;
using Xunit;

namespace AnomalyTools.Tests.Core;

public class CheckpointTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _input;
    private readonly string _other;

    public CheckpointTests()
    {
        _input = _temp.File("in.csv", "transaction_id,customer_id,amount\n1,C1,9000\n2,C2,10\n3,C3,9100\n4,C4,9200\n");
        _other = _temp.File("other.csv", "transaction_id,customer_id,amount\n7,C7,9700\n");
    }

    private string Output => _temp.Combine("out");

    private string Journal => CheckpointJournal.PathOf(Output, 0);

    private static Transaction From(string source, long line, string id, DateTimeOffset? timestamp = null) =>
        new Transaction(id, "C" + id, 9000m + line, timestamp, null, source, line).ReadFrom(TestInputs.AsItIsNow(source));

    private long Skip(string path) => CheckpointJournal.ReadPositions(Output).SkipThroughLine(path, out _);

    [Fact]
    public void A_committed_part_records_the_last_line_of_each_input_it_holds()
    {
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(From(_input, 2, "1"));
            sink.Write(From(_other, 2, "7"));
            sink.Write(From(_input, 4, "3"));
            Assert.Equal(0, Skip(_input));
            sink.Close();
        }

        Assert.Equal(4, Skip(_input));
        Assert.Equal(2, Skip(_other));
        Assert.Equal(0, Skip(_temp.Combine("never-read.csv")));
        Assert.False(File.Exists(Journal + ".pending"));
    }

    [Fact]
    public void Positions_accumulate_over_parts_and_runs()
    {
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(From(_other, 2, "7"));
            sink.Commit();
            sink.Write(From(_input, 2, "1"));
            sink.Close();
        }
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(From(_input, 5, "4"));
            sink.Close();
        }

        Assert.Equal(5, Skip(_input));
        Assert.Equal(2, Skip(_other));
        Assert.Equal("part-0-00002", Read(Journal).Part);
    }

    [Fact]
    public void A_replaced_input_is_read_again_from_the_top()
    {
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(From(_input, 3, "2"));
            sink.Close();
        }
        File.AppendAllText(_input, "5,C5,9500\n");
        Assert.Equal(3, CheckpointJournal.ReadPositions(Output).SkipThroughLine(_input, out var grown));
        Assert.False(grown);

        File.WriteAllText(_input, "transaction_id,customer_id,amount\n9,C9,9900\n");

        Assert.Equal(0, CheckpointJournal.ReadPositions(Output).SkipThroughLine(_input, out var changed));
        Assert.True(changed);
    }

    [Fact]
    public void A_pending_checkpoint_whose_part_was_committed_is_completed()
    {
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(From(_input, 2, "1"));
            sink.Close();
        }
        // A crash after the part's rename and before the checkpoint's: part-0-00001 is committed, its checkpoint pending.
        File.WriteAllText(Path.Combine(Output, "part-0-00001"), "3, C3, 9100\n");
        CheckpointJournal.WritePending(Output, 0, new Checkpoint("part-0-00001", [new FilePosition(_input, 4, FileFingerprint.Of(_input))]));

        Assert.Equal(4, Skip(_input));
        Assert.True(File.Exists(Journal + ".pending"), "reading positions changes nothing");

        using (new PartFileSink(new PartFileSinkOptions(Output)))
        {
        }
        Assert.False(File.Exists(Journal + ".pending"));
        Assert.Equal("part-0-00001", Read(Journal).Part);
    }

    [Fact]
    public void A_first_commit_cut_short_after_the_part_rename_counts()
    {
        Directory.CreateDirectory(Output);
        File.WriteAllText(Path.Combine(Output, "part-0-00000"), "1, C1, 9000\n");
        CheckpointJournal.WritePending(Output, 0, new Checkpoint("part-0-00000", [new FilePosition(_input, 2, FileFingerprint.Of(_input))]));

        Assert.Equal(2, Skip(_input));
        new PartFileSink(new PartFileSinkOptions(Output)).Dispose();
        Assert.Equal("part-0-00000", Read(Journal).Part);
        Assert.False(File.Exists(Journal + ".pending"));
    }

    [Fact]
    public void A_pending_checkpoint_whose_part_was_not_committed_is_dropped_with_the_part()
    {
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(From(_input, 2, "1"));
            sink.Close();
        }
        // A crash after the checkpoint was written pending and before the part's rename.
        File.WriteAllText(Path.Combine(Output, ".part-0-00001.inprogress"), "3, C3, 9100\n");
        CheckpointJournal.WritePending(Output, 0, new Checkpoint("part-0-00001", [new FilePosition(_input, 4, FileFingerprint.Of(_input))]));

        Assert.Equal(2, Skip(_input));
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            Assert.Single(sink.AbandonedParts);
            sink.Close();
        }

        Assert.False(File.Exists(Journal + ".pending"));
        Assert.Equal(["part-0-00000"], Directory.GetFiles(Output).Select(Path.GetFileName));
        Assert.Equal(2, Skip(_input));
    }

    [Fact]
    public void A_half_written_pending_checkpoint_is_no_checkpoint()
    {
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(From(_input, 2, "1"));
            sink.Close();
        }
        File.WriteAllText(Journal + ".pending", "AnomalyTools checkpoint 1\npart\tpart-0-00001\ninput\t4\t0\t-\t");

        Assert.Equal(2, Skip(_input));
        new PartFileSink(new PartFileSinkOptions(Output)).Dispose();
        Assert.False(File.Exists(Journal + ".pending"));
    }

    [Fact]
    public void A_damaged_committed_checkpoint_is_an_error_not_a_silent_restart()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Journal)!);
        File.WriteAllText(Journal, "not a checkpoint");

        Assert.Throws<InvalidDataException>(() => CheckpointJournal.ReadPositions(Output));
        Assert.Throws<InvalidDataException>(() => new PartFileSink(new PartFileSinkOptions(Output)));
    }

    [Fact]
    public void Numbering_continues_after_the_checkpoint_when_committed_parts_were_moved_away()
    {
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(From(_input, 2, "1"));
            sink.Commit();
            sink.Write(From(_input, 4, "3"));
            sink.Close();
        }
        foreach (var part in Directory.GetFiles(Output)) File.Delete(part);

        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(From(_input, 5, "4"));
            sink.Close();
        }

        Assert.Equal(["part-0-00002"], Directory.GetFiles(Output).Select(Path.GetFileName));
        Assert.Equal(5, Skip(_input));
    }

    [Fact]
    public void A_second_writer_with_the_same_subtask_is_kept_out_until_the_first_ends()
    {
        using (var first = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            first.Write(From(_input, 2, "1"));

            Assert.Throws<OutputInUseException>(() => new PartFileSink(new PartFileSinkOptions(Output)));
            Assert.Equal([".part-0-00000.inprogress"], Directory.GetFiles(Output).Select(Path.GetFileName));
            new PartFileSink(new PartFileSinkOptions(Output) { Subtask = 1 }).Dispose();
            first.Close();
        }

        using (var next = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            next.Write(From(_input, 3, "2"));
            next.Close();
        }
        Assert.Equal(["part-0-00000", "part-0-00001"], Directory.GetFiles(Output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Paths_with_spaces_tabs_and_unicode_survive_the_journal()
    {
        var odd = _temp.File("a [1]\tü €.csv", "transaction_id,customer_id,amount\n1,C1,9000\n");
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(From(odd, 2, "1"));
            sink.Close();
        }

        var checkpoint = Read(Journal);
        Assert.Equal(odd, Assert.IsType<FilePosition>(Assert.Single(checkpoint.Inputs)).Path);
        Assert.Equal(2, Skip(odd));
    }

    [Fact]
    public void After_a_failed_write_the_sink_takes_nothing_more()
    {
        using var sink = new PartFileSink(new PartFileSinkOptions(Output) { RolloverInterval = TimeSpan.FromHours(1) });
        sink.Write(From(_input, 2, "1"));
        Directory.Delete(Output, recursive: true);

        Assert.ThrowsAny<IOException>(() => sink.Commit());
        Directory.CreateDirectory(Output);
        Assert.ThrowsAny<IOException>(() => sink.Write(From(_input, 4, "3")));
        Assert.Empty(Directory.GetFiles(Output));
        Assert.Equal(0, Skip(_input));
    }

    [Fact]
    public void Event_time_buckets_put_parts_in_hourly_folders_and_a_new_bucket_rolls_the_part()
    {
        var at = new DateTimeOffset(2024, 3, 1, 8, 58, 0, TimeSpan.FromHours(1));
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { BucketBy = BucketBy.EventTime }))
        {
            sink.Write(From(_input, 2, "1", at));
            sink.Write(From(_input, 3, "2", at.AddMinutes(1)));
            sink.Write(From(_input, 4, "3", at.AddMinutes(2)));
            sink.Close();
        }

        Assert.Equal("1, C1, 9002\n2, C2, 9003\n", File.ReadAllText(Path.Combine(Output, "2024-03-01--07", "part-0-00000")));
        Assert.Equal("3, C3, 9004\n", File.ReadAllText(Path.Combine(Output, "2024-03-01--08", "part-0-00001")));
        Assert.Equal("2024-03-01--08/part-0-00001", Read(Journal).Part);
        Assert.Equal(4, Skip(_input));
    }

    [Fact]
    public void Abandoned_parts_in_bucket_folders_are_rolled_back_and_numbering_spans_the_buckets()
    {
        var bucket = Path.Combine(Output, "2024-03-01--07");
        Directory.CreateDirectory(bucket);
        File.WriteAllText(Path.Combine(bucket, "part-0-00004"), "4, C4, 9000\n");
        File.WriteAllText(Path.Combine(bucket, ".part-0-00005.inprogress"), "5, C5, 90");

        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { BucketBy = BucketBy.ProcessingTime, BucketFormat = "'all'" }))
        {
            Assert.Equal([Path.Combine(bucket, ".part-0-00005.inprogress")], sink.AbandonedParts);
            sink.Write(From(_input, 2, "1"));
            sink.Close();
        }

        Assert.Equal(["part-0-00004"], Directory.GetFiles(bucket).Select(Path.GetFileName));
        Assert.Equal(["part-0-00006"], Directory.GetFiles(Path.Combine(Output, "all")).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("yyyy-MM-dd--HH", true)]
    [InlineData("yyyyMMdd", true)]
    [InlineData("yyyy/MM/dd", false)]
    [InlineData("'.'yyyy", false)]
    [InlineData("'_checkpoints'", false)]
    [InlineData("' '", false)]
    public void Bucket_formats_must_make_one_plain_folder_name(string format, bool valid)
    {
        Assert.Equal(valid, BucketNames.IsValid(format));
        if (!valid)
        {
            Assert.Throws<ArgumentException>(() => new PartFileSink(new PartFileSinkOptions(Output) { BucketBy = BucketBy.EventTime, BucketFormat = format }));
        }
    }

    [Fact]
    public void Complete_writes_a_success_marker_that_the_next_run_removes()
    {
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(From(_input, 2, "1"));
            sink.Complete();
        }
        Assert.Equal(["_SUCCESS", "part-0-00000"], Directory.GetFiles(Output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(0, new FileInfo(Path.Combine(Output, "_SUCCESS")).Length);

        using (new PartFileSink(new PartFileSinkOptions(Output)))
        {
            Assert.False(File.Exists(Path.Combine(Output, "_SUCCESS")));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_reader_skips_records_and_errors_through_the_resume_line(bool parseAhead)
    {
        var csv = "transaction_id,customer_id,amount\n1,C1,9000\n2,C2,oops\n3,\"C3\n\",9100\n4,C4,9200\n5,C5,nope\n";
        using var reader = new TransactionCsvReader(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "t.csv", new TransactionCsvOptions { ParseAhead = parseAhead })
        {
            SkipThroughLine = 4,
        };

        var results = reader.ReadAll().ToArray();

        Assert.Equal(["4", null], results.Select(r => r.Transaction?.TransactionId));
        Assert.Equal(7L, results[1].Error!.LineNumber);
    }

    [Fact]
    public void A_followed_file_is_read_past_the_resume_line_until_it_is_truncated()
    {
        File.AppendAllText(_input, "5,C5,9500\n");
        using var follower = new FileFollower(new TransactionCsvOptions(), new FollowOptions { IdleTimeout = TimeSpan.FromMilliseconds(200) });
        follower.Add(_input, skipThroughLine: 4);

        var ids = follower.Follow(null, CancellationToken.None)
            .Where(e => e.Kind == SourceEventKind.Record)
            .Select(e => e.Result.Transaction!.TransactionId)
            .ToArray();

        Assert.Equal(["4", "5"], ids);
    }

    private static Checkpoint Read(string journal)
    {
        var text = File.ReadAllText(journal);
        Assert.StartsWith("AnomalyTools checkpoint 1\n", text);
        var part = text.Split('\n')[1].Split('\t')[1];
        var inputs = text.Split('\n').Where(l => l.StartsWith("input\t", StringComparison.Ordinal))
            .Select(l => l.Split('\t'))
            .Select(f => new FilePosition(Uri.UnescapeDataString(f[4]), long.Parse(f[1]), default))
            .ToArray();
        return new Checkpoint(Uri.UnescapeDataString(part), inputs);
    }

    public void Dispose() => _temp.Dispose();
}
