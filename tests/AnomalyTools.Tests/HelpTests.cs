using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;
using AnomalyTools.Tests.Pipelines;
using Xunit;

namespace AnomalyTools.Tests;

/// <summary>What Get-Help shows for every exported cmdlet, read through the engine from the built module's help file.</summary>
public partial class HelpTests : IClassFixture<PowerShellFixture>
{
    // The bundled sample's two rows without a required value, which every example that reads it reports, and its row
    // without a timestamp, which the time rules report.
    private static readonly string[] s_bundledDataErrors = ["data.csv:9:", "data.csv:25:", "data.csv:48: transaction '1046' has no timestamp"];
    private readonly PowerShellSession _shell;

    public HelpTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
    }

    public static TheoryData<string> Cmdlets() => new(ModuleTests.ExportedCmdlets);

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Help_comes_from_the_module_help_file_not_the_generated_stub(string name)
    {
        Assert.Equal("AnomalyTools.dll-Help.xml", Path.GetFileName(Run("(Get-Command $name).HelpFile", name).Single().ToString()));
        var synopsis = Run("(Get-Help $name).Synopsis", name).Single().ToString()!;
        Assert.DoesNotContain("CommonParameters", synopsis);
        Assert.DoesNotContain(name, synopsis);
        Assert.True(synopsis.Length > 40, "the synopsis is a sentence");
        var description = Run("((Get-Help $name).description | ForEach-Object Text) -join ' '", name).Single().ToString()!;
        Assert.True(description.Length > 200, "the description says more than a sentence");
        Assert.NotEmpty(Run("(Get-Help $name).relatedLinks.navigationLink.linkText", name));
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Every_parameter_has_a_description(string name)
    {
        var parameters = Run(
            "(Get-Command $name).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.Cmdlet]::CommonParameters }",
            name).Select(p => p.ToString()!).ToList();

        Assert.NotEmpty(parameters);
        foreach (var parameter in parameters)
        {
            var description = Run(
                "((Get-Help $name -Parameter $argument).description | ForEach-Object Text) -join ' '",
                name, parameter).Single().ToString()!;
            Assert.True(description.Length > 10, $"-{parameter} of {name} has a description");
        }
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void There_are_at_least_three_examples_each_with_code_and_an_explanation(string name)
    {
        var examples = Examples(name);

        Assert.True(examples.Count >= 3, $"{name} has {examples.Count} examples");
        Assert.All(examples, example =>
        {
            Assert.Contains(name, example.Code);
            Assert.NotEmpty(example.Remarks);
        });
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void The_output_type_is_declared_and_documented(string name)
    {
        var declared = Run("(Get-Command $name).OutputType.Name", name).Select(o => o.ToString()).ToArray();
        var documented = Run("(Get-Help $name).returnValues.returnValue.type.name", name).Select(o => o.ToString()).ToArray();

        Assert.Contains("AnomalyTools.Transaction", declared);
        Assert.Equal(declared, documented);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Every_example_that_can_run_on_the_bundled_data_runs_without_other_errors(string name)
    {
        var runnable = Examples(name).Where(CanRunOnBundledData).ToList();

        Assert.True(runnable.Count >= 2, $"{name} has {runnable.Count} examples that run on the bundled data");
        foreach (var example in runnable)
        {
            using var folder = new TempDirectory();
            Directory.CreateDirectory(folder.Combine("data"));
            foreach (var file in Directory.GetFiles(Path.Combine(TestEnvironment.RepoRoot, "data")))
            {
                File.Copy(file, folder.Combine("data", Path.GetFileName(file)));
            }
            using var session = new PowerShellSession();
            session.SetLocation(folder.Path);

            var result = session.Run(example.Code);

            var unexpected = result.Errors.Select(e => e.ToString()).Where(e => !s_bundledDataErrors.Any(e.Contains)).ToList();
            Assert.True(unexpected.Count == 0, $"{name} example '{example.Title}' wrote errors: {string.Join(" | ", unexpected)}");
            var output = folder.Combine("output");
            var parts = Directory.Exists(output) ? Directory.GetFiles(output, "part-*", SearchOption.AllDirectories) : [];
            if (example.Code.Contains("-WhatIf")) Assert.Empty(parts);
            else if (example.Code.Contains("Export-SuspiciousTransaction")) Assert.NotEmpty(parts);
            if (!example.Code.Contains("Export-SuspiciousTransaction") || example.Code.Contains("-PassThru")) Assert.NotEmpty(result.Output);
        }
    }

    [Fact]
    public void The_about_topic_explains_the_pipeline_the_rules_the_output_lifecycle_and_the_error_ids()
    {
        var text = string.Join("\n", Run("Get-Help about_AnomalyTools", "").Select(o => o.ToString()));

        foreach (var expected in new[] { "Import-Transaction", "-Deviation", "-MaxPerWindow", "-SmallThenLarge", ".inprogress", "-RolloverInterval", "InvalidAmount", "OutputNotWritable", "AbandonedPart" })
        {
            Assert.Contains(expected, text);
        }
    }

    /// <summary>
    /// Whether an example can run here on the bundled data: every command it calls exists in this engine (which has
    /// only PowerShell's core cmdlets), and every relative path it names is under ./data (the inputs) or ./output.
    /// </summary>
    private bool CanRunOnBundledData(Example example)
    {
        var ast = Parser.ParseInput(example.Code, out _, out var errors);
        Assert.Empty(errors);
        var commands = ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>().Select(c => c.GetCommandName()).Distinct();
        var paths = RelativePath().Matches(example.Code).Select(m => m.Groups[1].Value).ToList();
        return commands.All(command => Run("Get-Command $name -ErrorAction Ignore", command).Count == 1)
            && paths.Contains("data")
            && paths.All(p => p is "data" or "output");
    }

    private sealed record Example(string Title, string Code, string Remarks);

    private List<Example> Examples(string name) =>
        Run("(Get-Help $name -Examples).examples.example", name)
            .Select(e => new Example(
                e.Properties["title"].Value.ToString()!,
                e.Properties["code"].Value.ToString()!,
                string.Join(" ", Run("$argument.remarks | ForEach-Object Text", name, e).Select(r => r.ToString()))))
            .ToList();

    /// <summary>Runs <paramref name="script"/> with $name and $argument set; fails the test on any error.</summary>
    private System.Collections.ObjectModel.Collection<PSObject> Run(string script, string name, object? argument = null)
    {
        var result = _shell.Run(script, new { name, argument });
        Assert.Empty(result.Errors);
        return result.Output;
    }

    [GeneratedRegex(@"\./([\w-]+)/")]
    private static partial Regex RelativePath();
}
