using System.Management.Automation;
using System.Management.Automation.Runspaces;
using AnomalyTools.Shell;
using Microsoft.PowerShell;

// pwsh itself, started with the module imported: every pwsh switch, the prompt and every built-in module work as in pwsh.
var state = InitialSessionState.CreateDefault2();
state.ImportPSModule(ModuleName);
// pwsh colours errors and warnings even in a redirected stderr; a log or a calling program gets plain text.
if (Console.IsErrorRedirected) PSStyle.Instance.OutputRendering = OutputRendering.PlainText;
using var stops = new StopSignals();
var exitCode = ConsoleShell.Start(
    state,
    $"AnomalyTools.Shell: PowerShell {typeof(ConsoleShell).Assembly.GetName().Version?.ToString(3)} with the {ModuleName} module imported.",
    helpText: string.Empty,
    args);
return stops.ExitCode(exitCode);

internal partial class Program
{
    private const string ModuleName = "AnomalyTools";
}
