using System.Management.Automation.Runspaces;
using System.Reflection;

/// <summary>A PowerShell 7 runspace with the built module imported from out/, as users import it.</summary>
internal static class ModuleRunspace
{
    public static string ManifestPath =>
        typeof(ModuleRunspace).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ModuleManifest").Value!;

    public static string RepoRoot =>
        typeof(ModuleRunspace).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    /// <summary>The Shell built in the benchmark's own configuration (Release under <c>dotnet run -c Release</c>).</summary>
    public static string ShellPath =>
        typeof(ModuleRunspace).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ShellPath").Value!;

    public static Runspace Open(params string[] otherModules)
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(ManifestPath);
        foreach (var module in otherModules) state.ImportPSModule(module);
        var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        return runspace;
    }
}
