using AnomalyTools.Sink;
using Xunit;

namespace AnomalyTools.Tests.Core;

public class OutputFolderTests
{
    private static readonly string s_folder = Path.Combine(Path.GetTempPath(), "alerts");

    [Theory]
    [InlineData("part-0-00000", true)]
    [InlineData(".part-0-00001.inprogress", true)]
    [InlineData("part-3-123456", true)]
    [InlineData("_SUCCESS", true)]
    [InlineData("_checkpoints", true)]
    [InlineData("_checkpoints/subtask-0", true)]
    [InlineData("_checkpoints/writer-0.lock", true)]
    [InlineData("2024-03-01--07/part-0-00002", true)]
    [InlineData("2024/03/01/part-0-00002", true)]
    [InlineData("feed.csv", false)]
    [InlineData("part-0-1", false)]
    [InlineData("part-0-00000.csv", false)]
    [InlineData("2024-03-01--07", false)]
    [InlineData("incoming/feed.csv", false)]
    [InlineData("", false)]
    public void The_sink_entries_are_its_parts_and_the_underscore_entries(string relative, bool sinkEntry)
    {
        var path = Path.Combine([s_folder, .. relative.Split('/', StringSplitOptions.RemoveEmptyEntries)]);

        Assert.Equal(sinkEntry, OutputFolder.IsSinkEntry(s_folder, path));
        Assert.Equal(sinkEntry, OutputFolder.IsSinkEntry(s_folder + Path.DirectorySeparatorChar, path));
    }

    [Theory]
    [InlineData("alerts2/part-0-00000")]
    [InlineData("other/part-0-00000")]
    [InlineData("part-0-00000")]
    public void Entries_outside_the_folder_are_not_its_own(string relative)
    {
        var path = Path.Combine([Path.GetTempPath(), .. relative.Split('/')]);

        Assert.False(OutputFolder.IsSinkEntry(s_folder, path));
    }

    [Fact]
    public void The_same_folder_is_recognised_however_it_is_written()
    {
        Assert.True(OutputFolder.IsSame(s_folder, s_folder + Path.DirectorySeparatorChar));
        Assert.True(OutputFolder.IsSame(s_folder, Path.Combine(s_folder, "sub", "..")));
        Assert.False(OutputFolder.IsSame(s_folder, s_folder + "2"));
    }
}
