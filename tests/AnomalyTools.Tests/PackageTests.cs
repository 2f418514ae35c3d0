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
    public void The_package_carries_librdkafka_for_every_platform_of_PowerShell_7_in_the_net8_build_only()
    {
        using var package = ZipFile.OpenRead(TestEnvironment.Package);
        var native = package.Entries.Select(e => e.FullName).Where(name => name.Contains("/runtimes/", StringComparison.Ordinal)).ToHashSet();

        Assert.Superset(new HashSet<string>(
        [
            "net8.0/Dependencies/runtimes/linux-x64/native/librdkafka.so",
            "net8.0/Dependencies/runtimes/linux-x64/native/alpine-librdkafka.so",
            "net8.0/Dependencies/runtimes/linux-x64/native/centos8-librdkafka.so",
            "net8.0/Dependencies/runtimes/linux-arm64/native/librdkafka.so",
            "net8.0/Dependencies/runtimes/linux-arm64/native/alpine-librdkafka.so",
            "net8.0/Dependencies/runtimes/osx-x64/native/librdkafka.dylib",
            "net8.0/Dependencies/runtimes/osx-arm64/native/librdkafka.dylib",
            "net8.0/Dependencies/runtimes/win-x64/native/librdkafka.dll",
            "net8.0/Dependencies/runtimes/win-x64/native/libssl-3-x64.dll",
            "net8.0/Dependencies/runtimes/win-x86/native/librdkafka.dll",
        ]), native);
        Assert.All(native, name => Assert.StartsWith("net8.0/Dependencies/runtimes/", name));
        Assert.DoesNotContain(native, name => name.Contains("linux-s390x", StringComparison.Ordinal));
        Assert.Contains("net8.0/Dependencies/Confluent.Kafka.dll", package.Entries.Select(e => e.FullName));
        Assert.Contains("net8.0/Dependencies/AnomalyTools.Kafka.dll", package.Entries.Select(e => e.FullName));
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

    [Fact]
    public void PSResourceGet_publishes_the_module_folder_installs_the_package_and_the_installed_module_runs_and_uninstalls()
    {
        // A home of its own: PSResourceGet's repositories and the CurrentUser modules go there, not to the user's.
        var home = Directory.CreateDirectory(_temp.Combine("home")).FullName;
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share"),
            ["XDG_CONFIG_HOME"] = Path.Combine(home, ".config"),
            ["XDG_CACHE_HOME"] = Path.Combine(home, ".cache"),
            ["DOTNET_CLI_HOME"] = home,
        };
        var published = Directory.CreateDirectory(_temp.Combine("published")).FullName;
        var packages = Directory.CreateDirectory(_temp.Combine("packages")).FullName;
        File.Copy(TestEnvironment.Package, Path.Combine(packages, Path.GetFileName(TestEnvironment.Package)));
        File.Copy(Path.Combine(TestEnvironment.RepoRoot, "data", "data.csv"), _temp.Combine("data.csv"));
        var moduleFolder = Path.GetDirectoryName(TestEnvironment.ModuleManifest)!;

        var install = ShellProcess.RunFrom(TestEnvironment.Pwsh, _temp.Path, environment, "-NoProfile", "-NonInteractive", "-Command",
            "$ErrorActionPreference = 'Stop'; " +
            $"Register-PSResourceRepository -Name Published -Uri '{published}' -Trusted; " +
            $"Register-PSResourceRepository -Name Packages -Uri '{packages}' -Trusted; " +
            $"Publish-PSResource -Path '{moduleFolder}' -Repository Published; " +
            "(Find-PSResource AnomalyTools -Repository Published).Version.ToString(); " +
            "Install-PSResource AnomalyTools -Repository Packages -Scope CurrentUser; " +
            "(Get-InstalledPSResource AnomalyTools).Version.ToString()");
        Assert.True(install.ExitCode == 0, install.Error);
        Assert.Equal($"{TestEnvironment.ModuleVersion}\n{TestEnvironment.ModuleVersion}\n", install.Out);
        Assert.Single(Directory.GetFiles(published, "AnomalyTools.*.nupkg"));

        var run = ShellProcess.RunFrom(TestEnvironment.Pwsh, _temp.Path, environment, "-NoProfile", "-NonInteractive", "-Command",
            "Import-Module AnomalyTools; (Get-Module AnomalyTools).ModuleBase; " +
            "Import-Transaction ./data.csv | Select-SuspiciousTransaction | Export-SuspiciousTransaction ./output/suspicious_transactions; " +
            "(Get-Help Export-SuspiciousTransaction).Synopsis");
        var lines = run.Out.TrimEnd('\n').Split('\n');
        Assert.StartsWith(Path.Combine(home, ".local", "share", "powershell", "Modules", "AnomalyTools"), lines[0]);
        Assert.StartsWith("Writes transactions durably into part files", lines[1]);
        Assert.Contains("data.csv:9: the required column 'amount' is empty", run.Error);
        Assert.Equal(SeedPipelineTests.ExpectedPart, File.ReadAllText(_temp.Combine("output", "suspicious_transactions", "part-0-00000")));

        var uninstall = ShellProcess.RunFrom(TestEnvironment.Pwsh, _temp.Path, environment, "-NoProfile", "-NonInteractive", "-Command",
            "$ErrorActionPreference = 'Stop'; Uninstall-PSResource AnomalyTools -Scope CurrentUser; " +
            "@(Get-InstalledPSResource AnomalyTools -ErrorAction SilentlyContinue).Count; @(Get-Module -ListAvailable AnomalyTools).Count");
        Assert.True(uninstall.ExitCode == 0, uninstall.Error);
        Assert.Equal("0\n0\n", uninstall.Out);
    }

    [Theory]
    [InlineData("Package")]
    [InlineData("Publish", "-WhatIf")]
    public void Build_ps1_packs_and_publishes_with_WhatIf_exiting_0_and_leaves_the_tracked_files_as_they_were(string task, params string[] more)
    {
        var before = Git("status", "--porcelain");

        string[] arguments = ["-NoProfile", "-NonInteractive", "-File", Path.Combine(TestEnvironment.RepoRoot, "build.ps1"), "-Task", task, "-Configuration", "Debug", .. more];
        var (exitCode, output, error) = ShellProcess.RunFrom(TestEnvironment.Pwsh, TestEnvironment.RepoRoot, arguments);

        Assert.True(exitCode == 0, error);
        Assert.Contains("Packed " + TestEnvironment.Package, output);
        if (task == "Publish") Assert.Contains("What if:", output);
        Assert.Equal(before, Git("status", "--porcelain"));
    }

    [Fact]
    public void The_nuspec_the_build_writes_is_under_obj_and_ignored_and_no_tracked_file_holds_the_checkout_path()
    {
        var nuspec = Path.Combine(TestEnvironment.RepoRoot, "tools", "ModuleBuilder", "obj", "AnomalyTools.nuspec");

        Assert.True(File.Exists(nuspec));
        Assert.Empty(Git("ls-files", "tools/ModuleBuilder/*.nuspec"));
        Assert.Equal(nuspec.Replace('\\', '/') + "\n", Git("check-ignore", "--no-index", nuspec).Replace('\\', '/'));
        // What a build generates holds the checkout's path; a tracked file that does is rewritten by a build elsewhere.
        Assert.Empty(Git("grep", "-l", "-F", TestEnvironment.RepoRoot.TrimEnd('/', '\\'), "--", ".", ":!bench/results"));
    }

    private static string Git(params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = TestEnvironment.RepoRoot, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var git = System.Diagnostics.Process.Start(start)!;
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        return output;
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
