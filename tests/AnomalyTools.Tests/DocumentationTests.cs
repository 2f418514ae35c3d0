using Xunit;

namespace AnomalyTools.Tests;

/// <summary>
/// The documents a user reads on the web: the cmdlet reference is what the build generates from the help, and every
/// relative link leads somewhere.
/// </summary>
public class DocumentationTests
{
    private static readonly string s_committedReference = Path.Combine(TestEnvironment.RepoRoot, "docs", "cmdlets");
    private static readonly string s_generatedReference = Path.Combine(TestEnvironment.RepoRoot, "out", "docs", "cmdlets");

    public static TheoryData<string> Cmdlets() => new(ModuleTests.ExportedCmdlets);

    [Fact]
    public void The_committed_cmdlet_reference_is_what_the_build_generates_from_the_help()
    {
        var committed = Pages(s_committedReference);
        var generated = Pages(s_generatedReference);

        Assert.NotEmpty(generated);
        var hint = "docs/cmdlets/ differs from what the build generated from the cmdlets' doc comments into out/docs/cmdlets/; " +
            "after a change to the help, copy those files over (cp out/docs/cmdlets/*.md docs/cmdlets/) and commit them.";
        Assert.True(committed.Keys.SequenceEqual(generated.Keys), $"{hint} Pages: [{string.Join(", ", committed.Keys)}] against [{string.Join(", ", generated.Keys)}].");
        foreach (var (name, text) in generated)
        {
            Assert.True(text == committed[name], $"{hint} {name} is not the same.");
        }
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Each_cmdlet_has_a_page_in_platyPS_layout_with_every_example_and_parameter(string name)
    {
        var page = File.ReadAllText(Path.Combine(s_committedReference, name + ".md"));
        var headings = page.Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal)).ToList();

        Assert.StartsWith("---\nexternal help file: AnomalyTools.dll-Help.xml\nModule Name: AnomalyTools\n", page);
        Assert.Equal(["## SYNOPSIS", "## SYNTAX", "## DESCRIPTION", "## EXAMPLES", "## PARAMETERS", "## INPUTS", "## OUTPUTS", "## NOTES", "## RELATED LINKS"], headings);
        Assert.Contains($"\n# {name}\n", page);
        using var session = new PowerShellSession();
        var parameters = session.Run("(Get-Help $name).parameters.parameter.name", new { name }).Output.Select(p => p.ToString()).ToList();
        var examples = session.Run("(Get-Help $name).examples.example.code", new { name }).Output.Select(c => c.ToString()!.Replace("\r\n", "\n")).ToList();
        var sets = session.Run("(Get-Command $name).ParameterSets.Name", new { name }).Output.Select(s => s.ToString()).ToList();
        Assert.NotEmpty(parameters);
        Assert.All(parameters, p => Assert.Contains($"\n### -{p}\n", page));
        Assert.True(examples.Count >= 3);
        Assert.All(examples, code => Assert.Contains($"```powershell\n{code}\n```", page));
        Assert.All(sets, set => Assert.Matches($"\n### {set}( \\(Default\\))?\n\n```\n{name} ", page));
        Assert.Contains("### CommonParameters", page);
        Assert.DoesNotContain("\r", page);
    }

    [Fact]
    public void The_module_page_lists_every_cmdlet_with_a_link_to_its_page()
    {
        var page = File.ReadAllText(Path.Combine(s_committedReference, "AnomalyTools.md"));

        Assert.All(ModuleTests.ExportedCmdlets, name => Assert.Contains($"### [{name}]({name}.md)", page));
    }

    [Fact]
    public void The_reference_holds_no_path_of_the_machine_that_built_it()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var repoRoot = TestEnvironment.RepoRoot.TrimEnd('/', '\\');

        Assert.All(Pages(s_generatedReference), page =>
        {
            Assert.DoesNotContain(repoRoot, page.Value);
            if (home.Length > 1) Assert.DoesNotContain(home, page.Value);
            Assert.DoesNotContain(Path.GetTempPath().TrimEnd('/', '\\'), page.Value);
        });
    }

    [Fact]
    public void The_readme_stays_short_and_maps_the_guides()
    {
        var readme = File.ReadAllLines(Path.Combine(TestEnvironment.RepoRoot, "README.md"));

        Assert.True(readme.Length <= 150, $"README.md has {readme.Length} lines; the guides under docs/ hold the rest.");
        var links = MarkdownLinks.Links(string.Join("\n", readme)).Select(l => l.Target).ToList();
        foreach (var guide in Directory.GetFiles(Path.Combine(TestEnvironment.RepoRoot, "docs"), "*.md"))
        {
            Assert.Contains("docs/" + Path.GetFileName(guide), links);
        }
        Assert.Contains("docs/cmdlets/AnomalyTools.md", links);
    }

    public static TheoryData<string> Documents()
    {
        var root = TestEnvironment.RepoRoot;
        var ignored = new[] { "out", "bin", "obj", "TestResults", ".git", "output" };
        return new(Directory.GetFiles(root, "*.md", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(ignored.Contains))
            .Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_relative_link_leads_to_a_file_and_heading_that_exist(string document)
    {
        var dead = MarkdownLinks.DeadLinks(Path.Combine(TestEnvironment.RepoRoot, document), ReadIfExists).ToList();

        Assert.True(dead.Count == 0, $"{document} has dead links:\n" + string.Join("\n", dead));
    }

    [Fact]
    public void The_about_topic_points_to_the_guides_on_the_web()
    {
        var about = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "module", "AnomalyTools", "en-US", "about_AnomalyTools.help.txt"));

        foreach (var guide in Directory.GetFiles(Path.Combine(TestEnvironment.RepoRoot, "docs"), "*.md"))
        {
            Assert.Contains("docs/" + Path.GetFileName(guide), about);
        }
    }

    private static string? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    private static SortedDictionary<string, string> Pages(string folder) =>
        new(Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.md").ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f))
            : [],
            StringComparer.Ordinal);
}

/// <summary>The link checker itself, on documents made here: it must find what it is there to find.</summary>
public class MarkdownLinksTests
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);

    private IReadOnlyList<string> Dead(string document) =>
        MarkdownLinks.DeadLinks(document, path => _files.GetValueOrDefault(Path.GetFullPath(path))).ToList();

    private void Add(string path, string text) => _files[Path.GetFullPath(path)] = text;

    [Fact]
    public void A_link_to_a_missing_file_is_dead_with_its_line()
    {
        Add("/r/README.md", "# Title\n\nSee [the guide](docs/gone.md) and [rules](docs/rules.md).\n");
        Add("/r/docs/rules.md", "# Rules\n");

        Assert.Equal(["3: docs/gone.md: no file or folder docs/gone.md"], Dead("/r/README.md"));
    }

    [Fact]
    public void A_link_to_a_heading_that_does_not_exist_is_dead_in_another_file_and_in_the_same_one()
    {
        Add("/r/docs/a.md", "# A\n\n## Real time\n\n[ok](b.md#exactly-once-across-restarts) [bad](b.md#exactly-once) [self](#real-time) [selfbad](#realtime)\n");
        Add("/r/docs/b.md", "# B\n\n## Exactly once across restarts\n");

        var dead = Dead("/r/docs/a.md");

        Assert.Equal(2, dead.Count);
        Assert.Contains("5: b.md#exactly-once: no heading with the anchor #exactly-once in b.md", dead);
        Assert.Contains("5: #realtime: no heading with the anchor #realtime in this document", dead);
    }

    [Fact]
    public void Links_climb_out_of_the_folder_relative_to_the_document()
    {
        Add("/r/docs/guide.md", "[bench](../bench/README.md) [missing](../README.md)\n");
        Add("/r/bench/README.md", "# Bench\n");

        Assert.Equal(["1: ../README.md: no file or folder ../README.md"], Dead("/r/docs/guide.md"));
    }

    [Fact]
    public void An_empty_link_is_dead_and_web_links_and_code_are_not_checked()
    {
        Add("/r/a.md", "[empty]() [web](https://example.com/x.md) `[code](nowhere.md)`\n```\n[fenced](nowhere.md)\n```\n");

        Assert.Equal(["1: a link without a target"], Dead("/r/a.md"));
    }

    [Theory]
    [InlineData("Two builds, one module", "two-builds-one-module")]
    [InlineData("`-Format` and `Csv`", "-format-and-csv")]
    [InlineData("Exactly once: checkpoints", "exactly-once-checkpoints")]
    [InlineData("[Import-Transaction](Import-Transaction.md)", "import-transaction")]
    public void Anchors_are_GitHub_slugs_of_headings(string heading, string anchor)
    {
        Assert.Equal(anchor, MarkdownLinks.Slug(heading));
    }

    [Fact]
    public void A_repeated_heading_gets_a_numbered_anchor_and_headings_in_code_are_none()
    {
        var anchors = MarkdownLinks.Anchors("# Notes\n## Notes\n```powershell\n# rules.psd1\n```\n");

        Assert.Equal(["notes", "notes-1"], anchors.Order(StringComparer.Ordinal));
    }
}
