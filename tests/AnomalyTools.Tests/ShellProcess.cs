using System.Diagnostics;
using Xunit;

namespace AnomalyTools.Tests;

/// <summary>The Shell running in the background, its stdout and stderr collected as they come.</summary>
internal sealed class ShellProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();
    private readonly System.Text.StringBuilder _error = new();

    /// <summary>Runs the Shell to its end; its exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Out, string Error) Run(string workingDirectory, params string[] arguments) =>
        RunFrom(TestEnvironment.Shell, workingDirectory, arguments);

    /// <summary>Runs the Shell at <paramref name="shell"/>, such as a copy carrying another module folder, to its end.</summary>
    public static (int ExitCode, string Out, string Error) RunFrom(string shell, string workingDirectory, params string[] arguments) =>
        RunFrom(shell, workingDirectory, null, arguments);

    /// <summary>Runs <paramref name="shell"/> (the Shell, or pwsh.dll) to its end with <paramref name="environment"/> added to its own.</summary>
    public static (int ExitCode, string Out, string Error) RunFrom(
        string shell, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var process = new ShellProcess(shell, workingDirectory, redirectInput: false, arguments, environment);
        var exitCode = process.WaitForExit(TimeSpan.FromMinutes(5));
        return (exitCode, process.Output, process.Error);
    }

    /// <summary>$PSHOME/Modules of the Shell in <paramref name="shellFolder"/>: the SDK puts the engine under runtimes/.</summary>
    public static string ModulesFolder(string shellFolder) =>
        Path.Combine(shellFolder, "runtimes", OperatingSystem.IsWindows() ? "win" : "unix", "lib", "net10.0", "Modules");

    /// <summary>
    /// Copies the Shell to <paramref name="destination"/> without its AnomalyTools module, whose
    /// AnomalyTools/&lt;version&gt;/ folder <paramref name="installModule"/> fills; the path of the copy's Shell.
    /// </summary>
    public static string CopyShellWithModule(string destination, Action<string> installModule)
    {
        var source = Path.GetDirectoryName(TestEnvironment.Shell)!;
        var ownModule = Path.GetRelativePath(source, Path.Combine(ModulesFolder(source), "AnomalyTools"));
        TestFiles.CopyDirectory(source, destination, relative => !relative.StartsWith(ownModule, StringComparison.Ordinal));
        var moduleFolder = Path.Combine(ModulesFolder(destination), "AnomalyTools", TestEnvironment.ModuleVersion);
        Directory.CreateDirectory(moduleFolder);
        installModule(moduleFolder);
        return Path.Combine(destination, Path.GetFileName(TestEnvironment.Shell));
    }

    public ShellProcess(string workingDirectory, params string[] arguments)
        : this(TestEnvironment.Shell, workingDirectory, redirectInput: false, arguments)
    {
    }

    public ShellProcess(string workingDirectory, bool redirectInput, params string[] arguments)
        : this(TestEnvironment.Shell, workingDirectory, redirectInput, arguments)
    {
    }

    private ShellProcess(string shell, string workingDirectory, bool redirectInput, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        start.ArgumentList.Add(shell);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Collect(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(_error, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public string Error
    {
        get
        {
            lock (_error) return _error.ToString();
        }
    }

    public void SendLine(string line = "") => _process.StandardInput.WriteLine(line);

    public bool HasExited => _process.HasExited;

    /// <summary>Kills the Shell at once (SIGKILL), as a crash or an out-of-memory killer would, and waits for it to be gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Signal(string signal) => Process.Start("kill", ["-" + signal, _process.Id.ToString()])!.WaitForExit();

    /// <summary>Waits for the Shell to exit and for the rest of its output; returns its exit code.</summary>
    public int WaitForExit(TimeSpan? timeout = null)
    {
        Assert.True(_process.WaitForExit(timeout ?? Eventually.Deadline), "the Shell did not stop");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    // A null line is the end of the stream, not an empty line.
    private static void Collect(System.Text.StringBuilder text, string? line)
    {
        if (line is null) return;
        lock (text) text.Append(line).Append('\n');
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
