using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Microsoft.PowerShell.Commands;
using System.Runtime.InteropServices;

namespace AnomalyTools.Shell;

/// <summary>
/// What the Shell adds to pwsh's handling of signals: SIGTERM stops the running pipeline as Ctrl+C does (pwsh itself
/// dies at once, and a sink never commits), and a run stopped by either signal exits with 130, as a shell's
/// job stopped by SIGINT does (pwsh exits with 1).
/// </summary>
internal sealed class StopSignals : IDisposable
{
    public const int StoppedExitCode = 130;

    private const int SigInt = 2;

    private readonly List<PosixSignalRegistration> _registrations = [];
    private volatile bool _stoppedPipeline;

    public StopSignals()
    {
        if (OperatingSystem.IsWindows())
        {
            Console.CancelKeyPress += OnCancelKeyPress;
            return;
        }
        // The console host's own Ctrl+C handler cancels the default and stops the pipeline; this one only notes the stop.
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => NoteStop()));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerminate));
    }

    /// <summary>The exit code of the Shell: 130 instead of pwsh's 1 when a signal stopped a running pipeline.</summary>
    public int ExitCode(int pwshExitCode) => _stoppedPipeline && pwshExitCode == 1 ? StoppedExitCode : pwshExitCode;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        foreach (var registration in _registrations) registration.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e) => NoteStop();

    // At pwsh's interactive prompt Ctrl+C is a key that PSReadLine reads, not a signal: a signal stops a pipeline.
    private void NoteStop() => _stoppedPipeline = true;

    private void OnTerminate(PosixSignalContext context)
    {
        context.Cancel = true;
        _stoppedPipeline = true;
        // Stopped the way Ctrl+C stops it, by the console host, which alone holds the running pipeline.
        _ = Kill(Environment.ProcessId, SigInt);
        // Then the process ends, also at the interactive prompt: SIGTERM asks the Shell to go, not only to stop.
        new Thread(() =>
        {
            var hostRunspaces = HostRunspaces();
            // Bounded, as a service manager's own wait is: a pipeline that ignores the stop does not keep the Shell.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (hostRunspaces.Any(IsBusy) && DateTime.UtcNow < deadline) Thread.Sleep(20);
            Environment.Exit(StoppedExitCode);
        }) { IsBackground = true, Name = "SIGTERM" }.Start();
    }

    private static bool IsBusy(Runspace runspace) =>
        runspace.RunspaceStateInfo.State == RunspaceState.Opened && runspace.RunspaceAvailability != RunspaceAvailability.Available;

    // The console host does not hand out its runspace; Get-Runspace lists every runspace of the process.
    private static Runspace[] HostRunspaces()
    {
        var state = InitialSessionState.Create();
        state.Commands.Add(new SessionStateCmdletEntry("Get-Runspace", typeof(GetRunspaceCommand), null));
        using var powerShell = PowerShell.Create(state);
        var own = powerShell.Runspace;
        return powerShell.AddCommand("Get-Runspace").Invoke<Runspace>().Where(r => r.InstanceId != own.InstanceId).ToArray();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
