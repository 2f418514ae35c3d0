namespace AnomalyTools.Shell;

/// <summary>What the Shell was asked to run, read from pwsh-style arguments.</summary>
internal sealed record ShellArguments(ShellMode Mode, string? Text, IReadOnlyList<string> ScriptArguments, string? Error)
{
    private static readonly string[] s_ignoredSwitches = ["-noprofile", "-nologo", "-noninteractive", "-nop", "-nol", "-noni"];

    /// <summary>Reads <c>-Command text</c>, <c>-File path [args]</c>, <c>-Help</c>, or nothing for an interactive session.</summary>
    public static ShellArguments Parse(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var name = arg.ToLowerInvariant();
            if (s_ignoredSwitches.Contains(name)) continue;
            if (name is "-help" or "-h" or "-?" or "--help" or "/?") return new(ShellMode.Help, null, [], null);
            if (name is "-command" or "-c")
            {
                if (i + 1 >= args.Count) return Fail("-Command needs the text of a command.");
                // As pwsh does, every argument after -Command is part of the command.
                return new(ShellMode.Command, string.Join(' ', args.Skip(i + 1)), [], null);
            }
            if (name is "-file" or "-f")
            {
                if (i + 1 >= args.Count) return Fail("-File needs the path of a script.");
                return new(ShellMode.File, args[i + 1], args.Skip(i + 2).ToArray(), null);
            }
            if (arg.StartsWith('-')) return Fail($"Unknown parameter '{arg}'.");
            return new(ShellMode.File, arg, args.Skip(i + 1).ToArray(), null);
        }
        return new(ShellMode.Interactive, null, [], null);
    }

    private static ShellArguments Fail(string error) => new(ShellMode.Help, null, [], error);
}

internal enum ShellMode
{
    Help,
    Command,
    File,
    Interactive,
}
