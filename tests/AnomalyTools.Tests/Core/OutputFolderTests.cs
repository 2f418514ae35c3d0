using AnomalyTools.Sinks;
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
    [Fact]
    public void A_folder_reached_through_a_symbolic_link_is_the_folder_it_names()
    {
        if (OperatingSystem.IsWindows()) return;
        var top = Directory.CreateTempSubdirectory("outputfolder-links-").FullName;
        try
        {
            var real = Directory.CreateDirectory(Path.Combine(top, "data", "alerts")).FullName;
            var linkToFolder = Path.Combine(top, "alerts-link");
            Directory.CreateSymbolicLink(linkToFolder, real);
            var linkToParent = Path.Combine(top, "data-link");
            Directory.CreateSymbolicLink(linkToParent, Path.Combine(top, "data"));
            var relativeLink = Path.Combine(top, "relative-link");
            Directory.CreateSymbolicLink(relativeLink, Path.Combine("data", "alerts"));
            var chained = Path.Combine(top, "chained-link");
            Directory.CreateSymbolicLink(chained, linkToFolder);

            foreach (var written in new[] { linkToFolder, Path.Combine(linkToParent, "alerts"), relativeLink, chained })
            {
                Assert.True(OutputFolder.IsSame(written, real), written);
                Assert.True(OutputFolder.IsSinkEntry(written, Path.Combine(real, "part-0-00000")), written);
                Assert.True(OutputFolder.IsSinkEntry(real, Path.Combine(written, "_checkpoints")), written);
                Assert.False(OutputFolder.IsSinkEntry(written, Path.Combine(real, "feed.csv")), written);
            }
            Assert.False(OutputFolder.IsSinkEntry(linkToFolder, Path.Combine(top, "data", "part-0-00000")));
        }
        finally
        {
            Directory.Delete(top, recursive: true);
        }
    }

    [Fact]
    public void A_link_loop_or_a_missing_folder_is_compared_by_name()
    {
        if (OperatingSystem.IsWindows()) return;
        var top = Directory.CreateTempSubdirectory("outputfolder-loop-").FullName;
        try
        {
            var a = Path.Combine(top, "a");
            var b = Path.Combine(top, "b");
            Directory.CreateSymbolicLink(a, b);
            Directory.CreateSymbolicLink(b, a);

            Assert.True(OutputFolder.IsSinkEntry(a, Path.Combine(a, "part-0-00000")));
            Assert.True(OutputFolder.IsSinkEntry(Path.Combine(top, "missing"), Path.Combine(top, "missing", "part-0-00000")));
            Assert.False(OutputFolder.IsSame(Path.Combine(top, "missing"), Path.Combine(top, "other")));
        }
        finally
        {
            Directory.Delete(top, recursive: true);
        }
    }
}
