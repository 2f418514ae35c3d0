using Xunit;

namespace AnomalyTools.Tests;

public class OutputFolderContentTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Output => _temp.Combine("out");

    private void Write(string name, string text)
    {
        var path = Path.Combine(Output, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public void Committed_parts_are_ordered_by_subtask_then_counter_as_numbers()
    {
        Write("part-0-100000", "4\n");
        Write("part-1-00000", "5\n");
        Write("part-0-99999", "3\n");
        Write("part-10-00000", "6\n");
        Write("part-0-00002", "2\n");
        Write("part-0-00000", "0\n1\n");

        Assert.Equal(["part-0-00000", "part-0-00002", "part-0-99999", "part-0-100000", "part-1-00000", "part-10-00000"],
            OutputFolderContent.CommittedParts(Output).Select(Path.GetFileName));
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6"], OutputFolderContent.CommittedLines(Output));
    }

    [Fact]
    public void Parts_in_progress_hidden_files_markers_checkpoints_and_buckets_are_not_output()
    {
        Write("part-0-00000", "1, C1, 9000\n");
        Write(".part-0-00001.inprogress", "2, C2, 9100\n");
        Write(".part-0-00002", "hidden\n");
        Write("part-0-00003.inprogress", "misnamed\n");
        Write("_SUCCESS", string.Empty);
        Write("_checkpoints/subtask-0", "{}");
        Write("2024-03-01--07/part-0-00004", "in a bucket\n");
        Write("notes.txt", "not a part\n");

        Assert.Equal(["1, C1, 9000"], OutputFolderContent.CommittedLines(Output));
    }

    [Fact]
    public void A_folder_that_does_not_exist_has_no_output()
    {
        Assert.Empty(OutputFolderContent.CommittedParts(Output));
        Assert.Empty(OutputFolderContent.CommittedLines(Output));
    }

    [Fact]
    public void Lines_keep_their_carriage_returns_and_an_empty_line_stays_a_line()
    {
        Write("part-0-00000", "a\r\n\nb\n");

        Assert.Equal(["a\r", "", "b"], OutputFolderContent.CommittedLines(Output));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1, C1, 9000")]
    public void A_committed_part_that_is_not_whole_fails(string text)
    {
        Write("part-0-00000", text);

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => OutputFolderContent.CommittedLines(Output));
    }

    public void Dispose() => _temp.Dispose();
}
