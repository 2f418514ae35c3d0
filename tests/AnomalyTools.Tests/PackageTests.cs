using System.IO.Compression;
using System.Xml.Linq;
using AnomalyTools.Tests.Pipelines;
using Xunit;

namespace AnomalyTools.Tests;

/// <summary>The PowerShell Gallery package that the build packs: its metadata, its layout, and the module installed from it.</summary>
public class PackageTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void The_package_is_named_and_tagged_as_the_Gallery_expects()
    {
        using var package = ZipFile.OpenRead(TestEnvironment.Package);
        var nuspec = XDocument.Load(package.GetEntry("AnomalyTools.nuspec")!.Open());
        string Metadata(string name) => nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata").Elements().Single(e => e.Name.LocalName == name).Value;

        Assert.Equal("AnomalyTools", Metadata("id"));
        Assert.Equal(TestEnvironment.ModuleVersion, Metadata("version"));
        Assert.Equal("https://github.com/anomalytools/AnomalyTools", Metadata("projectUrl"));
        Assert.Equal("https://github.com/anomalytools/AnomalyTools/blob/main/LICENSE", Metadata("licenseUrl"));
        Assert.StartsWith("Find suspicious financial transactions", Metadata("description"));
        var tags = Metadata("tags").Split(' ');
        Assert.Superset(
            new HashSet<string>(
            [
                "PSModule", "PSIncludes_Cmdlet", "PSEdition_Desktop", "PSEdition_Core", "Windows", "Linux", "MacOS",
                .. ModuleTests.ExportedCmdlets.Select(c => "PSCmdlet_" + c), .. ModuleTests.ExportedCmdlets.Select(c => "PSCommand_" + c),
            ]),
            new HashSet<string>(tags));
        Assert.Equal(tags.Length, tags.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void The_module_files_are_at_the_package_root()
    {
        using var package = ZipFile.OpenRead(TestEnvironment.Package);
        var moduleFolder = Path.GetDirectoryName(TestEnvironment.ModuleManifest)!;
        var moduleFiles = Directory.GetFiles(moduleFolder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(moduleFolder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

        var packaged = package.Entries.Select(e => e.FullName).Where(name => !IsPackagingPart(name)).Order(StringComparer.Ordinal);

        Assert.Equal(moduleFiles, packaged);
        Assert.Contains("AnomalyTools.psd1", packaged);
        Assert.Contains("en-US/AnomalyTools.dll-Help.xml", packaged);
    }

    [Fact]
    public void The_module_installed_from_the_package_runs_the_seed_pipeline_and_answers_Get_Help()
    {
        var shell = InstallShellWithModuleFromPackage();
        File.Copy(Path.Combine(TestEnvironment.RepoRoot, "data", "data.csv"), _temp.Combine("data.csv"));

        var (_, output, error) = ShellProcess.RunFrom(shell, _temp.Path, "-Command",
            "(Get-Module AnomalyTools).ModuleBase; " +
            "Import-Transaction ./data.csv | Select-SuspiciousTransaction | Export-SuspiciousTransaction ./output/suspicious_transactions; " +
            "(Get-Help Export-SuspiciousTransaction).Synopsis");

        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(Path.Combine(ShellProcess.ModulesFolder(Path.GetDirectoryName(shell)!), "AnomalyTools", TestEnvironment.ModuleVersion), lines[0]);
        Assert.StartsWith("Writes transactions durably into part files", lines[1]);
        Assert.Contains("data.csv:9: the required column 'amount' is empty", error);
        Assert.Equal(SeedPipelineTests.ExpectedPart, File.ReadAllText(_temp.Combine("output", "suspicious_transactions", "part-0-00000")));
    }

    /// <summary>
    /// A copy of the Shell whose Modules folder holds the module as Save-Module lays out a Gallery package: the package's
    /// files in AnomalyTools/&lt;version&gt;/, without the packaging parts.
    /// </summary>
    private string InstallShellWithModuleFromPackage() =>
        ShellProcess.CopyShellWithModule(_temp.Combine("shell"), moduleFolder =>
        {
            using var package = ZipFile.OpenRead(TestEnvironment.Package);
            foreach (var entry in package.Entries.Where(e => !IsPackagingPart(e.FullName)))
            {
                var target = Path.Combine(moduleFolder, entry.FullName);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(target);
            }
        });

    private static bool IsPackagingPart(string name) =>
        name is "AnomalyTools.nuspec" or "[Content_Types].xml" || name.StartsWith("_rels/", StringComparison.Ordinal) || name.StartsWith("package/", StringComparison.Ordinal);

    public void Dispose() => _temp.Dispose();
}
