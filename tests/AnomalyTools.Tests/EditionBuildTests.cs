using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using AnomalyTools.Tests.Pipelines;
using Xunit;

namespace AnomalyTools.Tests;

/// <summary>
/// The module carries two builds: net8.0 for PowerShell 7.4 and later, netstandard2.0 for Windows PowerShell 5.1, and
/// AnomalyTools.psm1 loads the one for the PowerShell that imports it. This machine has PowerShell 7 only: the 5.1
/// build is checked for its layout, its references and, loaded into PowerShell 7, the seed pipeline.
/// </summary>
public class EditionBuildTests : IDisposable
{
    private static readonly string s_moduleFolder = Path.GetDirectoryName(TestEnvironment.ModuleManifest)!;
    private readonly TempDirectory _temp = new();

    [Theory]
    [InlineData("net8.0", ".NETCoreApp,Version=v8.0")]
    [InlineData("netstandard2.0", ".NETStandard,Version=v2.0")]
    public void Each_build_has_its_cmdlets_at_the_top_of_its_folder_and_its_libraries_built_for_it_in_Dependencies(string folder, string framework)
    {
        var build = Path.Combine(s_moduleFolder, folder);

        Assert.Equal(["AnomalyTools.dll"], Directory.GetFiles(build, "*.dll").Select(Path.GetFileName));
        Assert.Equal(framework, TargetFrameworkOf(Path.Combine(build, "AnomalyTools.dll")));
        Assert.Equal(framework, TargetFrameworkOf(Path.Combine(build, "Dependencies", "AnomalyTools.Core.dll")));
        Assert.StartsWith(folder == "net8.0" ? ".NETCoreApp" : ".NETStandard", TargetFrameworkOf(Path.Combine(build, "Dependencies", "CsvHelper.dll")));
    }

    [Fact]
    public void The_module_root_holds_no_assembly_only_the_loader_and_the_shared_files()
    {
        Assert.Empty(Directory.GetFiles(s_moduleFolder, "*.dll"));
        Assert.Equal(
            ["AnomalyTools.Format.ps1xml", "AnomalyTools.psd1", "AnomalyTools.psm1"],
            Directory.GetFiles(s_moduleFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["en-US", "net8.0", "netstandard2.0"], Directory.GetDirectories(s_moduleFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_library_the_Windows_PowerShell_build_references_is_the_platform_or_ships_with_it()
    {
        var build = Path.Combine(s_moduleFolder, "netstandard2.0");
        var shipped = Directory.GetFiles(Path.Combine(build, "Dependencies"), "*.dll").Select(Path.GetFileNameWithoutExtension).ToHashSet();
        // What Windows PowerShell 5.1 itself provides: .NET Framework 4.7.2 (with its netstandard and System.Runtime
        // facades) and the engine. System.Runtime.Loader is called only where the runtime is .NET (DependencyIsolation).
        string[] platform = ["netstandard", "mscorlib", "System", "System.Core", "System.Runtime", "System.Management.Automation", "System.Runtime.Loader"];

        var missing = Directory.GetFiles(build, "*.dll", SearchOption.AllDirectories)
            .SelectMany(ReferencesOf)
            .Where(name => !platform.Contains(name) && !shipped.Contains(name))
            .Distinct()
            .ToArray();

        Assert.Empty(missing);
        Assert.Contains("System.Memory", shipped);
    }

    [Fact]
    public void PowerShell_7_loads_the_net8_build()
    {
        using var session = new PowerShellSession();

        var location = session.Run("(Get-Command Import-Transaction).ImplementingType.Assembly.Location").Output.Single().ToString();

        Assert.Equal(Path.Combine(s_moduleFolder, "net8.0", "AnomalyTools.dll"), location);
    }

    [Fact]
    public void The_Windows_PowerShell_build_imports_and_runs_the_seed_pipeline()
    {
        // A module folder whose manifest loads the netstandard2.0 build directly, as the loader does on Windows PowerShell.
        var shell = ShellProcess.CopyShellWithModule(_temp.Combine("shell"), moduleFolder =>
        {
            TestFiles.CopyDirectory(s_moduleFolder, moduleFolder);
            var manifest = Path.Combine(moduleFolder, "AnomalyTools.psd1");
            File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("'AnomalyTools.psm1'", "'netstandard2.0/AnomalyTools.dll'"));
        });
        File.Copy(Path.Combine(TestEnvironment.RepoRoot, "data", "data.csv"), _temp.Combine("data.csv"));

        var (_, output, error) = ShellProcess.RunFrom(shell, _temp.Path, "-Command",
            "[System.Runtime.Versioning.TargetFrameworkAttribute]::GetCustomAttribute((Get-Command Import-Transaction).ImplementingType.Assembly, " +
            "[System.Runtime.Versioning.TargetFrameworkAttribute]).FrameworkName; " +
            "Import-Transaction ./data.csv | Select-SuspiciousTransaction | Export-SuspiciousTransaction ./output/suspicious_transactions");

        Assert.Equal(".NETStandard,Version=v2.0", output.TrimEnd('\n'));
        Assert.Contains("data.csv:9: the required column 'amount' is empty", error);
        Assert.Equal(SeedPipelineTests.ExpectedPart, File.ReadAllText(_temp.Combine("output", "suspicious_transactions", "part-0-00000")));
    }

    private static string TargetFrameworkOf(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly));
        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = metadata.GetCustomAttribute(handle);
            var constructor = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            var type = metadata.GetTypeReference((TypeReferenceHandle)constructor.Parent);
            if (metadata.GetString(type.Name) != "TargetFrameworkAttribute") continue;
            var value = metadata.GetBlobReader(attribute.Value);
            value.ReadUInt16(); // the prolog
            return value.ReadSerializedString()!;
        }
        return string.Empty;
    }

    private static IEnumerable<string> ReferencesOf(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly));
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences.Select(handle => metadata.GetString(metadata.GetAssemblyReference(handle).Name)).ToArray();
    }

    public void Dispose() => _temp.Dispose();
}
