using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace AnomalyTools.ModuleBuilder;

/// <summary>The built module imported by its manifest into a PowerShell engine, as users import it.</summary>
internal sealed class LoadedModule : IDisposable
{
    private readonly Runspace _runspace;

    private LoadedModule(Runspace runspace, PSModuleInfo info, IReadOnlyList<CmdletInfo> cmdlets)
    {
        _runspace = runspace;
        Info = info;
        Cmdlets = cmdlets;
    }

    public PSModuleInfo Info { get; }

    /// <summary>The exported cmdlets, by name.</summary>
    public IReadOnlyList<CmdletInfo> Cmdlets { get; }

    /// <summary>The folder the manifest is in: the whole module, as it is installed and packed.</summary>
    public string Folder => Info.ModuleBase;

    public static LoadedModule Import(string manifestPath)
    {
        var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        using var powerShell = PowerShell.Create(runspace);
        var info = powerShell.AddCommand("Import-Module").AddParameter("Name", Path.GetFullPath(manifestPath))
            .AddParameter("PassThru").AddParameter("ErrorAction", "Stop").Invoke<PSModuleInfo>().Single();
        var cmdlets = info.ExportedCmdlets.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        return new LoadedModule(runspace, info, cmdlets);
    }

    /// <summary>The manifest's PrivateData.PSData entry, or null.</summary>
    public object? PSData(string key) =>
        Info.PrivateData is System.Collections.Hashtable privateData && privateData["PSData"] is System.Collections.Hashtable psData
            ? psData[key]
            : null;

    public void Dispose() => _runspace.Dispose();
}
