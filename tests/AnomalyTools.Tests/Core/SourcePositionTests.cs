using AnomalyTools.Checkpoints;
using AnomalyTools.Sinks.PartFiles;
using AnomalyTools.Sources.Files;
using Xunit;

namespace AnomalyTools.Tests.Core;

/// <summary>Positions that are not file-only: a partition's offset goes through the same journal and resume lookup as a file's line.</summary>
public class SourcePositionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Output => _temp.Combine("out");

    private static Transaction At(PartitionOffset position, string id) =>
        new Transaction(id, "C" + id, 9000m).ReadFrom(new TopicMessage(position.Topic, position.Partition, position.NextOffset - 1, null, null));

    [Fact]
    public void Partition_offsets_and_file_lines_round_trip_through_the_journal()
    {
        var input = _temp.File("in.csv", "transaction_id,customer_id,amount\n1,C1,9000\n");
        var fingerprint = FileFingerprint.Of(input);
        var written = new Checkpoint("part-0-00003", [
            new FilePosition(input, 2, fingerprint),
            new PartitionOffset("orders", 0, 42),
            new PartitionOffset("orders/eu west", 3, 0),
        ]);

        CheckpointJournal.WritePending(Output, 0, written);
        Directory.CreateDirectory(Output);
        File.WriteAllText(Path.Combine(Output, "part-0-00003"), "");
        var read = new FolderCheckpointStore(Output).Recover()!;

        Assert.Equal("part-0-00003", read.Part);
        var file = Assert.IsType<FilePosition>(read.Inputs[0]);
        Assert.Equal((input, 2L, fingerprint), (file.Path, file.Line, file.Fingerprint));
        var first = Assert.IsType<PartitionOffset>(read.Inputs[1]);
        Assert.Equal(("orders", 0, 42L), (first.Topic, first.Partition, first.NextOffset));
        var second = Assert.IsType<PartitionOffset>(read.Inputs[2]);
        Assert.Equal(("orders/eu west", 3, 0L), (second.Topic, second.Partition, second.NextOffset));
    }

    [Fact]
    public void A_checkpoint_written_before_positions_had_kinds_still_reads()
    {
        Directory.CreateDirectory(Path.Combine(Output, "_checkpoints"));
        File.WriteAllText(CheckpointJournal.PathOf(Output, 0),
            "AnomalyTools checkpoint 1\npart\tpart-0-00000\ninput\t7\t0\t-\t%2Fdata%2Ffeed.csv\nend\n");

        var position = Assert.IsType<FilePosition>(new FolderCheckpointStore(Output).ReadPositions().Find("/data/feed.csv"));

        Assert.Equal(7, position.Line);
    }

    [Fact]
    public void A_sink_records_the_next_offset_of_each_partition_and_resume_finds_it_by_topic_and_partition()
    {
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            sink.Write(At(new PartitionOffset("orders", 0, 11), "1"));
            sink.Write(At(new PartitionOffset("orders", 1, 5), "2"));
            sink.Write(At(new PartitionOffset("orders", 0, 13), "3"));
            sink.Commit();
            sink.Write(At(new PartitionOffset("orders", 1, 8), "4"));
            sink.Close();
        }

        var positions = new FolderCheckpointStore(Output).ReadPositions();

        Assert.Equal(13, positions.NextOffset("orders", 0));
        Assert.Equal(8, positions.NextOffset("orders", 1));
        Assert.Null(positions.NextOffset("orders", 2));
        Assert.Null(positions.NextOffset("payments", 0));
        Assert.Equal(2, positions.Count);
    }

    [Fact]
    public void The_latest_position_of_each_input_wins()
    {
        var positions = new InputPositions([
            new PartitionOffset("orders", 0, 20),
            new PartitionOffset("orders", 0, 10),
            new FilePosition("/data/a.csv", 3, default),
            new FilePosition("/data/a.csv", 9, default),
            new FilePosition("/data/a.csv", 4, default),
        ]);

        Assert.Equal(20, positions.NextOffset("orders", 0));
        Assert.Equal(9, Assert.IsType<FilePosition>(positions.Find("/data/a.csv")).Line);
    }

    [Fact]
    public void Positions_in_different_inputs_are_not_ordered()
    {
        Assert.Throws<ArgumentException>(() => new PartitionOffset("orders", 0, 1).IsLaterThan(new PartitionOffset("orders", 1, 0)));
        Assert.Throws<ArgumentException>(() => new PartitionOffset("orders", 0, 1).IsLaterThan(new FilePosition("/data/a.csv", 1, default)));
    }

    [Fact]
    public void A_topic_is_never_taken_for_a_file_nor_another_topic_by_case()
    {
        var positions = new InputPositions([new PartitionOffset("Orders", 0, 5), new FilePosition("/data/orders", 2, default)]);

        Assert.Null(positions.NextOffset("orders", 0));
        Assert.Equal(5, positions.NextOffset("Orders", 0));
        Assert.IsType<FilePosition>(positions.Find("/data/orders"));
    }

    public void Dispose() => _temp.Dispose();
}
