using System.Text;
using AnomalyTools.Shell;

var arguments = ShellArguments.Parse(args);
if (arguments.Mode == ShellMode.Help)
{
    if (arguments.Error != null) Console.Error.WriteLine(arguments.Error);
    (arguments.Error is null ? Console.Out : Console.Error).WriteLine(
        """
        AnomalyTools.Shell: PowerShell 7 with the AnomalyTools module loaded.

          AnomalyTools.Shell -Command <text>          run PowerShell commands (everything after -Command)
          AnomalyTools.Shell -File <script> [args]    run a script with its arguments
          AnomalyTools.Shell                          read commands from the console, one a line

        Exit code: 0 when the commands succeeded, 1 when one failed, 130 when stopped by Ctrl+C or SIGTERM,
        or the code given to 'exit'.
        """);
    return arguments.Error is null ? 0 : 64;
}

Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
using var session = new ShellSession(Path.Combine(AppContext.BaseDirectory, "Modules"));
if (!session.ModuleImported()) return 1;

switch (arguments.Mode)
{
    case ShellMode.Command:
    {
        var succeeded = session.Run(arguments.Text!, out _);
        return ExitCode(succeeded);
    }
    case ShellMode.File:
    {
        var path = Path.GetFullPath(arguments.Text!);
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"The script '{arguments.Text}' does not exist.");
            return 64;
        }
        session.Run(ScriptInvocation.Build(path, arguments.ScriptArguments), out var terminated);
        // As with pwsh -File: the script's 'exit N', else 1 for a terminating error, else 0.
        return session.LastExitCode ?? ExitCode(succeeded: !terminated);
    }
    default:
    {
        var interactive = !Console.IsInputRedirected;
        var lastSucceeded = true;
        while (session.ExitCode is null)
        {
            if (interactive) Console.Write("AT " + Environment.CurrentDirectory + "> ");
            var line = Console.ReadLine();
            if (line is null) break;
            if (string.IsNullOrWhiteSpace(line)) continue;
            lastSucceeded = session.Run(line, out _);
        }
        return session.ExitCode ?? (lastSucceeded ? 0 : 1);
    }
}

int ExitCode(bool succeeded) =>
    session.ExitCode ?? (session.StopRequested ? ShellSession.StoppedExitCode : succeeded ? 0 : 1);
