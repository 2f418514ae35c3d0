using System.Reflection;
using AnomalyTools.Sources.Files;

namespace AnomalyTools.Tests;

/// <summary>Where the built module, the Shell and the repository are, as the build recorded them.</summary>
internal static class TestEnvironment
{
    public static string ModuleManifest => Metadata("ModuleManifest");

    public static string ModuleVersion => Metadata("ModuleVersion");

    public static string RepoRoot => Metadata("RepoRoot");

    public static string Shell => Metadata("Shell");

    /// <summary>pwsh.dll of the repository's PowerShell tool (the one <c>dotnet pwsh</c> runs), restored from NuGet.</summary>
    public static string Pwsh => Metadata("Pwsh");

    /// <summary>Pester.psd1 of the pinned Pester, restored from NuGet.</summary>
    public static string PesterManifest => Metadata("PesterManifest");

    /// <summary>The module's PowerShell Gallery package, as the build packed it.</summary>
    public static string Package => Path.Combine(RepoRoot, "out", $"AnomalyTools.{ModuleVersion}.nupkg");

    /// <summary>The mock Kafka cluster's own program (tests/KafkaMockCluster), run with <c>dotnet</c>.</summary>
    public static string KafkaMockCluster => Metadata("KafkaMockCluster");

    /// <summary>A CsvHelper other than the module's, as another module in the same session might bring.</summary>
    public static string OtherCsvHelper => Metadata("OtherCsvHelper");

    private static string Metadata(string key) =>
        typeof(TestEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

internal static class TestFiles
{
    /// <summary>Copies every file under <paramref name="source"/> that <paramref name="include"/> (given its relative path) accepts.</summary>
    public static void CopyDirectory(string source, string destination, Func<string, bool>? include = null)
    {
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (include != null && !include(relative)) continue;
            var target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>A fresh directory under the system's temporary folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("anomalytools-").FullName;
    }

    /// <summary>A temporary folder inside <paramref name="parent"/>, such as a tmpfs.</summary>
    public TempDirectory(string parent)
    {
        Path = Directory.CreateDirectory(System.IO.Path.Combine(parent, "anomalytools-" + Guid.NewGuid().ToString("N"))).FullName;
    }

    public string Path { get; }

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Input files as a reader sees them, for transactions that tests make field by field.</summary>
internal static class TestInputs
{
    /// <summary>The file at <paramref name="path"/> as a reader that opened it now would see it.</summary>
    public static InputFile AsItIsNow(string path)
    {
        using var stream = File.OpenRead(path);
        return InputFile.Read(stream, path);
    }
}
