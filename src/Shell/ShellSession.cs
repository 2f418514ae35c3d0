using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.InteropServices;

namespace AnomalyTools.Shell;

/// <summary>
/// A PowerShell 7 runspace with the AnomalyTools module imported, that runs command text as pwsh does: output
/// rendered by Out-Default, errors to stderr, Ctrl+C and SIGTERM stopping the running pipeline.
/// </summary>
internal sealed class ShellSession : IDisposable
{
    public const int StoppedExitCode = 130;

    private readonly ShellHost _host = new();
    private readonly Runspace _runspace;
    private readonly object _gate = new();
    private readonly List<PosixSignalRegistration> _signals = [];
    private PowerShell? _running;
    private bool _stopRequested;

    public ShellSession(string modulesDirectory)
    {
        var state = InitialSessionState.CreateDefault2();
        state.EnvironmentVariables.Add(new SessionStateVariableEntry(
            "PSModulePath", modulesDirectory + Path.PathSeparator + Environment.GetEnvironmentVariable("PSModulePath"), null));
        state.ImportPSModule("AnomalyTools");
        _runspace = RunspaceFactory.CreateRunspace(_host, state);
        _runspace.Open();

        // As pwsh treats Ctrl+C; a service manager's SIGTERM and `kill -INT` get the same clean stop.
        if (OperatingSystem.IsWindows())
        {
            Console.CancelKeyPress += OnCancelKeyPress;
        }
        else
        {
            _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal));
            _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal));
        }
    }

    /// <summary>The code <c>exit N</c> asked for, if any.</summary>
    public int? ExitCode => _host.ExitCode;

    /// <summary>Whether Ctrl+C or SIGTERM stopped a pipeline.</summary>
    public bool StopRequested => _stopRequested;

    /// <summary>Whether the AnomalyTools module was imported; when not, the reason is written to stderr.</summary>
    public bool ModuleImported()
    {
        using var powerShell = PowerShell.Create(_runspace);
        if (powerShell.AddCommand("Get-Module").AddParameter("Name", "AnomalyTools").Invoke().Count > 0) return true;
        Console.Error.WriteLine("The AnomalyTools module could not be imported:");
        foreach (var error in (System.Collections.ArrayList)_runspace.SessionStateProxy.GetVariable("Error"))
        {
            Console.Error.WriteLine(error);
        }
        return false;
    }

    /// <summary>Runs <paramref name="script"/>, rendering its output and errors. Returns whether it succeeded as pwsh's <c>$?</c> would say.</summary>
    public bool Run(string script, out bool terminated)
    {
        terminated = false;
        using var powerShell = PowerShell.Create(_runspace);
        powerShell.AddScript(script).AddCommand("Out-Default");
        powerShell.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
        lock (_gate) _running = powerShell;
        try
        {
            powerShell.Invoke();
            return !powerShell.HadErrors;
        }
        catch (PipelineStoppedException)
        {
            terminated = true;
            return false;
        }
        catch (RuntimeException exception)
        {
            terminated = true;
            WriteError(exception.ErrorRecord);
            return false;
        }
        finally
        {
            lock (_gate) _running = null;
        }
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        foreach (var signal in _signals) signal.Dispose();
        _runspace.Dispose();
    }

    // As pwsh's concise view shows a terminating error: what failed, then the message.
    private void WriteError(ErrorRecord error)
    {
        var source = error.InvocationInfo?.MyCommand?.Name;
        if (string.IsNullOrEmpty(source)) source = error.Exception.GetType().Name;
        _host.UI.WriteErrorLine(source + ": " + (error.ErrorDetails?.Message ?? error.Exception.Message));
    }

    /// <summary>The value of <c>$LASTEXITCODE</c>, which <c>exit N</c> in a script sets.</summary>
    public int? LastExitCode => _runspace.SessionStateProxy.GetVariable("LASTEXITCODE") as int?;

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        Stop();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Stop();
    }

    private void Stop()
    {
        lock (_gate)
        {
            _stopRequested = true;
            _running?.BeginStop(null, null);
        }
    }
}
