using System.Text;
using AnomalyTools.Checkpoints;
using AnomalyTools.Sinks.PartFiles;
using Xunit;

namespace AnomalyTools.Tests.Core;

/// <summary>Faults in the sink: a disk that fills up, parts changed or deleted by someone else, paths of every shape.</summary>
public class SinkFaultTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _input;

    public SinkFaultTests()
    {
        _input = _temp.File("in.csv", "transaction_id,customer_id,amount\n");
    }

    private string Output => _temp.Combine("out");

    private Transaction At(long line) => new Transaction((1000 + line).ToString(), "C" + line, 9000m + line, null, null, _input, line).ReadFrom(TestInputs.AsItIsNow(_input));

    private string[] Files() => Directory.GetFiles(Output).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    /// <summary>A file on a disk with room for <paramref name="room"/> more bytes: writing past them fails as a full disk does.</summary>
    private sealed class FillingDisk(string path, long room) : FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 1)
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Position + count > room) throw new IOException("No space left on device");
            base.Write(buffer, offset, count);
        }
    }

    private PartFileSinkOptions Options(long roomInSecondPart) => new(Output)
    {
        MaxPartSize = 40,
        RolloverInterval = TimeSpan.FromHours(1),
        InactivityInterval = TimeSpan.FromHours(1),
        OpenPartFile = path => new FillingDisk(path, path.EndsWith("00001.inprogress", StringComparison.Ordinal) ? roomInSecondPart : long.MaxValue),
    };

    [Fact]
    public void A_full_disk_fails_the_write_leaves_the_part_in_progress_and_keeps_the_checkpoint_and_committed_parts()
    {
        using var sink = new PartFileSink(Options(roomInSecondPart: 25));
        sink.Write(At(2));
        sink.Write(At(3));
        sink.Write(At(4));
        var committed = File.ReadAllBytes(Path.Combine(Output, "part-0-00000"));

        Assert.Throws<IOException>(() => sink.Write(At(5)));

        Assert.Throws<IOException>(() => sink.Write(At(6)));
        sink.Dispose();
        Assert.Equal(["part-0-00000", ".part-0-00001.inprogress"], Files().OrderBy(f => f.TrimStart('.'), StringComparer.Ordinal));
        Assert.Equal(committed, File.ReadAllBytes(Path.Combine(Output, "part-0-00000")));
        Assert.Equal("1002, C2, 9002\n1003, C3, 9003\n", Encoding.UTF8.GetString(committed));
        Assert.Equal(3, CheckpointJournal.ReadPositions(Output).SkipThroughLine(_input, out _));

        using (var next = new PartFileSink(new PartFileSinkOptions(Output)))
        {
            Assert.Single(next.AbandonedParts);
            next.Write(At(4));
            next.Close();
        }
        Assert.Equal(["part-0-00000", "part-0-00002"], Files());
    }

    [Fact]
    public void A_committed_part_changed_or_deleted_by_someone_else_is_left_alone_and_numbering_goes_on()
    {
        using (var sink = new PartFileSink(new PartFileSinkOptions(Output) { MaxPartSize = 20 }))
        {
            sink.Write(At(2));
            sink.Write(At(3));
            File.WriteAllText(Path.Combine(Output, "part-0-00000"), "someone else's\n");
            sink.Write(At(4));
            File.Delete(Path.Combine(Output, "part-0-00001"));
            sink.Write(At(5));
            sink.Close();
        }

        Assert.Equal(["part-0-00000", "part-0-00002", "part-0-00003"], Files());
        Assert.Equal("someone else's\n", File.ReadAllText(Path.Combine(Output, "part-0-00000")));
        Assert.Equal("1005, C5, 9005\n", File.ReadAllText(Path.Combine(Output, "part-0-00003")));
        Assert.Equal(5, CheckpointJournal.ReadPositions(Output).SkipThroughLine(_input, out _));
    }

    [Theory]
    [InlineData("with spaces")]
    [InlineData("brackets [1] and *")]
    [InlineData("ünïcödé ✓ 日本")]
    public void Output_folders_with_any_name_work(string name)
    {
        var output = _temp.Combine(name, "out");
        using (var sink = new PartFileSink(new PartFileSinkOptions(output)))
        {
            sink.Write(At(2));
            sink.Close();
        }

        Assert.Equal("1002, C2, 9002\n", File.ReadAllText(Path.Combine(output, "part-0-00000")));
    }

    [Fact]
    public void A_very_long_output_path_works()
    {
        var output = Path.Combine([_temp.Path, .. Enumerable.Repeat(new string('d', 200), 15)]);
        Assert.True(output.Length > 3000);
        using (var sink = new PartFileSink(new PartFileSinkOptions(output)))
        {
            sink.Write(At(2));
            sink.Close();
        }

        Assert.True(File.Exists(Path.Combine(output, "part-0-00000")));
    }

    public void Dispose() => _temp.Dispose();
}
