using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using AnomalyTools.Tests.Pipelines;
using Xunit;

namespace AnomalyTools.Tests;

public class ModuleTests : IClassFixture<PowerShellFixture>
{
    /// <summary>The cmdlets the module exports, by name.</summary>
    public static readonly string[] ExportedCmdlets = ["Export-SuspiciousTransaction", "Import-Transaction", "Select-SuspiciousTransaction"];
    private readonly PowerShellSession _shell;

    public ModuleTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
    }

    [Fact]
    public void The_built_manifest_passes_Test_ModuleManifest_with_the_stamped_version()
    {
        var result = _shell.Run("Test-ModuleManifest -Path $manifest", new { manifest = TestEnvironment.ModuleManifest });

        Assert.Empty(result.Errors);
        var module = (PSModuleInfo)result.Output.Single().BaseObject;
        Assert.Equal(new Version(TestEnvironment.ModuleVersion), module.Version);
        Assert.Equal(ExportedCmdlets, module.ExportedCmdlets.Keys.Order());
        Assert.Equal(Path.GetFileName(Path.GetDirectoryName(TestEnvironment.ModuleManifest)), TestEnvironment.ModuleVersion);
    }

    [Fact]
    public void The_assembly_carries_the_module_version()
    {
        var result = _shell.Run("(Get-Command Import-Transaction).ImplementingType.Assembly.GetName().Version.ToString(3)");

        Assert.Equal(TestEnvironment.ModuleVersion, result.Output.Single().BaseObject);
    }

    [Fact]
    public void The_manifest_is_plain_data_the_Gallery_can_read_without_running_it()
    {
        var source = File.ReadAllText(Path.Combine(TestEnvironment.RepoRoot, "module", "AnomalyTools", "AnomalyTools.psd1"));
        var ast = Parser.ParseInput(source, out _, out var errors);

        Assert.Empty(errors);
        Assert.All(source, c => Assert.True(c < 128, "the manifest is plain ASCII"));
        var data = (Hashtable)ast.Find(a => a is HashtableAst, false)!.SafeGetValue();
        Assert.Equal("AnomalyTools.psm1", data["RootModule"]);
        Assert.Equal(new object[] { "Desktop", "Core" }, (object[])data["CompatiblePSEditions"]!);
        var tags = (object[])((Hashtable)((Hashtable)data["PrivateData"]!)["PSData"]!)["Tags"]!;
        Assert.Contains("PSEdition_Core", tags);
        Assert.All(tags, tag => Assert.DoesNotContain(" ", (string)tag));
    }

    [Theory]
    [InlineData("Import-Transaction")]
    [InlineData("Select-SuspiciousTransaction")]
    [InlineData("Export-SuspiciousTransaction")]
    public void Every_cmdlet_declares_that_it_outputs_transactions(string name)
    {
        var result = _shell.Run("(Get-Command $name).OutputType.Name", new { name });

        // Import-Transaction -ReadCount emits arrays of them.
        string[] expected = name == "Import-Transaction" ? ["AnomalyTools.Transaction", "AnomalyTools.Transaction[]"] : ["AnomalyTools.Transaction"];
        Assert.Equal(expected, result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void LiteralPath_has_the_PSPath_and_LP_aliases()
    {
        var result = _shell.Run("(Get-Command Import-Transaction).Parameters['LiteralPath'].Aliases");

        Assert.Equal(["PSPath", "LP"], result.Output.Select(o => (string)o.BaseObject));
    }
}

public class ScriptSyntaxTests
{
    public static TheoryData<string> Scripts() => new(ScriptPaths());

    private static IEnumerable<string> ScriptPaths() =>
        Directory.EnumerateFiles(TestEnvironment.RepoRoot, "*.ps*1", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(TestEnvironment.RepoRoot, file))
            .Where(file => !file.Split(Path.DirectorySeparatorChar).Any(part => part is "out" or "bin" or "obj" or ".git"))
            .Where(file => file.EndsWith(".ps1") || file.EndsWith(".psm1") || file.EndsWith(".psd1"))
            .Order(StringComparer.Ordinal);

    [Fact]
    public void The_build_script_and_the_Pester_suites_are_there_to_check()
    {
        var scripts = ScriptPaths().ToArray();
        Assert.Contains("build.ps1", scripts);
        Assert.Contains(scripts, s => s.StartsWith(Path.Combine("tests", "Pester")));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Every_PowerShell_file_parses(string relativePath)
    {
        Parser.ParseFile(Path.Combine(TestEnvironment.RepoRoot, relativePath), out _, out var errors);

        Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors.Select(e => $"{relativePath}:{e.Extent.StartLineNumber}: {e.Message}")));
    }
}
