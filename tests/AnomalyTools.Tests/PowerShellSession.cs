using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace AnomalyTools.Tests;

/// <summary>The real PowerShell 7 engine, hosted in-process, with the built module imported by its manifest.</summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    public PowerShellSession()
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(TestEnvironment.ModuleManifest);
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
    }

    /// <summary>Runs pipeline text with <paramref name="variables"/> set; returns the output and the non-terminating errors.</summary>
    /// <param name="expectFailure">When set, a terminating error ends the run without being thrown.</param>
    public PipelineResult Run(string script, object? variables = null, bool expectFailure = false)
    {
        using var powerShell = Prepare(script, variables);
        Collection<PSObject> output;
        try
        {
            output = powerShell.Invoke();
        }
        catch (RuntimeException) when (expectFailure)
        {
            output = [];
        }
        return new PipelineResult(output, powerShell.Streams.Error.ToArray(), powerShell.Streams.Warning.Select(w => w.Message).ToArray());
    }

    /// <summary>Makes <paramref name="directory"/> the current location, which relative paths in pipeline text start from.</summary>
    public void SetLocation(string directory) => _runspace.SessionStateProxy.Path.SetLocation(directory);

    /// <summary>Starts pipeline text with <paramref name="variables"/> set, without waiting for it to end.</summary>
    public LivePipeline Start(string script, object? variables = null) => new(Prepare(script, variables));

    public void Dispose() => _runspace.Dispose();

    private PowerShell Prepare(string script, object? variables)
    {
        if (variables != null)
        {
            foreach (var property in variables.GetType().GetProperties())
            {
                _runspace.SessionStateProxy.SetVariable(property.Name, property.GetValue(variables));
            }
        }
        var powerShell = PowerShell.Create(_runspace);
        powerShell.AddScript(script);
        return powerShell;
    }
}

public sealed record PipelineResult(Collection<PSObject> Output, ErrorRecord[] Errors, string[] Warnings)
{
    public T[] Objects<T>() => Output.Select(o => (T)o.BaseObject).ToArray();

    /// <summary>The error ids, without the command name PowerShell appends.</summary>
    public string[] ErrorIds => Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]).ToArray();
}
