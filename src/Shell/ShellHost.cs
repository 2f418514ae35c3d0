using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace AnomalyTools.Shell;

/// <summary>A console host: output to stdout, errors, warnings, verbose and debug to stderr, as pwsh does.</summary>
internal sealed class ShellHost : PSHost
{
    private readonly ShellUserInterface _ui = new();

    public int? ExitCode { get; private set; }

    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override string Name => "AnomalyTools.Shell";

    public override PSHostUserInterface UI => _ui;

    public override Version Version => typeof(ShellHost).Assembly.GetName().Version ?? new Version(0, 0);

    public override void EnterNestedPrompt() => throw new NotSupportedException("The AnomalyTools Shell has no nested prompt.");

    public override void ExitNestedPrompt() => throw new NotSupportedException("The AnomalyTools Shell has no nested prompt.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
}

internal sealed class ShellUserInterface : PSHostUserInterface
{
    private readonly ShellRawUserInterface _rawUI = new();

    public override PSHostRawUserInterface RawUI => _rawUI;

    public override bool SupportsVirtualTerminal => !Console.IsOutputRedirected;

    public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) =>
        throw NotInteractive();

    public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice)
    {
        if (Console.IsInputRedirected) throw NotInteractive();
        Console.Error.WriteLine(string.IsNullOrEmpty(caption) ? message : caption + Environment.NewLine + message);
        for (var i = 0; i < choices.Count; i++)
        {
            Console.Error.WriteLine($"[{i}] {choices[i].Label.Replace("&", "")}{(i == defaultChoice ? " (default)" : "")}");
        }
        var answer = Console.ReadLine();
        return int.TryParse(answer, out var choice) && choice >= 0 && choice < choices.Count ? choice : defaultChoice;
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw NotInteractive();

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
        throw NotInteractive();

    public override string ReadLine() => Console.ReadLine() ?? string.Empty;

    public override SecureString ReadLineAsSecureString() => throw NotInteractive();

    // The engine leaves it to the host to drop ANSI styles when $PSStyle.OutputRendering or the terminal says so.
    public override void Write(string value) => Console.Out.Write(GetOutputString(value, SupportsVirtualTerminal));

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Write(value);

    public override void WriteLine(string value) => Console.Out.WriteLine(GetOutputString(value, SupportsVirtualTerminal));

    public override void WriteErrorLine(string value) => WriteToError(value, "\u001b[91m");

    public override void WriteWarningLine(string message) => WriteToError("WARNING: " + message, "\u001b[93m");

    public override void WriteVerboseLine(string message) => WriteToError("VERBOSE: " + message, "\u001b[93m");

    public override void WriteDebugLine(string message) => WriteToError("DEBUG: " + message, "\u001b[93m");

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        // Progress is for people watching a terminal; scripts and logs get none.
        if (Console.IsErrorRedirected) return;
        var line = record.RecordType == ProgressRecordType.Completed
            ? string.Empty
            : $"{record.Activity}: {record.StatusDescription}";
        var width = Math.Max(1, _rawUI.BufferSize.Width - 1);
        Console.Error.Write("\r" + (line.Length > width ? line[..width] : line.PadRight(width)) + (line.Length == 0 ? "\r" : string.Empty));
    }

    private static void WriteToError(string value, string color)
    {
        var plain = GetOutputString(value, supportsVirtualTerminal: false);
        if (Console.IsErrorRedirected) Console.Error.WriteLine(plain);
        else Console.Error.WriteLine(color + plain + "\u001b[0m");
    }

    private static PSInvalidOperationException NotInteractive() =>
        new("The AnomalyTools Shell cannot prompt for input. Pass the values as parameters.");
}

internal sealed class ShellRawUserInterface : PSHostRawUserInterface
{
    // When output goes to a file or a pipe there is no window: tables get a fixed, generous width.
    private const int RedirectedWidth = 120;

    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

    public override Size BufferSize
    {
        get => new(Width, 9999);
        set { }
    }

    public override Coordinates CursorPosition { get; set; }

    public override int CursorSize { get; set; } = 1;

    public override bool KeyAvailable => !Console.IsInputRedirected && Console.KeyAvailable;

    public override Size MaxPhysicalWindowSize => new(Width, 9999);

    public override Size MaxWindowSize => new(Width, 9999);

    public override Coordinates WindowPosition { get; set; }

    public override Size WindowSize
    {
        get => new(Width, 50);
        set { }
    }

    public override string WindowTitle { get; set; } = "AnomalyTools";

    private static int Width
    {
        get
        {
            if (Console.IsOutputRedirected) return RedirectedWidth;
            try
            {
                return Console.WindowWidth > 0 ? Console.WindowWidth : RedirectedWidth;
            }
            catch (IOException)
            {
                return RedirectedWidth;
            }
        }
    }

    public override void FlushInputBuffer()
    {
    }

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();

    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();

    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();

    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
}
