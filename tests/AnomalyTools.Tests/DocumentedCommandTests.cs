using System.Management.Automation;
using AnomalyTools.Tests.Pipelines;
using Xunit;

namespace AnomalyTools.Tests;

/// <summary>
/// The commands that the README and the guides show on the bundled sample, run as written: what a reader copies must
/// work. (The Shell command of the quick start runs in <see cref="ShellTests"/>.)
/// </summary>
public class DocumentedCommandTests
{
    // What the bundled sample reports whatever is run on it: its two rows without a required value, and its row without
    // a timestamp when a time rule is on.
    private static readonly string[] s_sampleErrors = ["MissingRequiredValue", "MissingTimestamp"];

    public static TheoryData<string, string> Commands()
    {
        var root = TestEnvironment.RepoRoot;
        var documents = new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Select(f => "docs/" + Path.GetFileName(f)).Order(StringComparer.Ordinal));
        var data = new TheoryData<string, string>();
        foreach (var document in documents)
        {
            foreach (var command in PowerShellCommands(File.ReadAllText(Path.Combine(root, document))))
            {
                // Commands on the bundled sample only: the others name files a reader has (./bank.csv, a live feed).
                if (command.Contains("./data/", StringComparison.Ordinal) && !command.Contains(" -Wait", StringComparison.Ordinal)) data.Add(document, command);
            }
        }
        return data;
    }

    [Fact]
    public void The_README_shows_commands_on_the_bundled_sample()
    {
        Assert.True(Commands().Count(row => (string)row[0] == "README.md") >= 3);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_documented_command_on_the_bundled_sample_runs_as_written(string document, string command)
    {
        using var temp = new TempDirectory();
        TestFiles.CopyDirectory(Path.Combine(TestEnvironment.RepoRoot, "data"), temp.Combine("data"));
        foreach (var (name, text) in NamedFiles(File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, document))))
        {
            File.WriteAllText(temp.Combine(name), text);
        }
        using var session = new PowerShellSession();
        session.SetLocation(temp.Path);

        PipelineResult result;
        try
        {
            result = session.Run(command);
        }
        catch (RuntimeException exception)
        {
            throw new Xunit.Sdk.XunitException($"{document}: `{command}` stopped: {exception.ErrorRecord.FullyQualifiedErrorId}: {exception.Message}");
        }

        Assert.True(result.ErrorIds.All(s_sampleErrors.Contains), $"{document}: `{command}` wrote {string.Join(", ", result.ErrorIds)}: {string.Join(" ", result.Errors.Select(e => e.ToString()))}");
        // The README's commands show what they give on the sample; a guide's may find nothing there (rules.md's rule
        // file turns the threshold off, and the sample has no outlier), and running clean is what it promises.
        if (document == "README.md")
        {
            Assert.True(result.Output.Count > 0 || Directory.Exists(temp.Combine("output")), $"{document}: `{command}` gave nothing.");
        }
    }

    /// <summary>
    /// The files a document writes out for its commands: a <c>powershell</c> block whose first line is a comment naming a
    /// file (<c># rules.psd1</c>) is that file's content, as a reader would save it.
    /// </summary>
    internal static IEnumerable<(string Name, string Text)> NamedFiles(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            if (lines[i].Trim() != "```powershell" || !lines[i + 1].StartsWith("# ", StringComparison.Ordinal)) continue;
            var name = lines[i + 1][2..].Trim();
            if (name.Contains(' ') || !name.Contains('.')) continue;
            var end = Array.FindIndex(lines, i + 1, l => l.StartsWith("```", StringComparison.Ordinal));
            yield return (name, string.Join("\n", lines[(i + 2)..end]) + "\n");
        }
    }

    /// <summary>The statements of the <c>powershell</c> code blocks, a pipeline continued over lines (a line ending in |) as one.</summary>
    internal static IEnumerable<string> PowerShellCommands(string markdown)
    {
        var inBlock = false;
        var statement = new List<string>();
        foreach (var line in markdown.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = line.Trim() == "```powershell";
                continue;
            }
            if (!inBlock || line.TrimStart().StartsWith('#')) continue;
            statement.Add(line.Trim());
            if (line.TrimEnd().EndsWith('|')) continue;
            var text = string.Join(" ", statement).Trim();
            statement.Clear();
            if (text.Length > 0) yield return text;
        }
    }
}
