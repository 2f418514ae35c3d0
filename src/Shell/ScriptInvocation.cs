using System.Text.RegularExpressions;

namespace AnomalyTools.Shell;

/// <summary>Builds the command text that runs a script with pwsh-style arguments (<c>-Name value</c>, positional values).</summary>
internal static partial class ScriptInvocation
{
    public static string Build(string scriptPath, IReadOnlyList<string> arguments)
    {
        var parts = new List<string> { "&", Quote(scriptPath) };
        foreach (var argument in arguments)
        {
            parts.Add(ParameterName().IsMatch(argument) ? argument : Quote(argument));
        }
        return string.Join(' ', parts);
    }

    private static string Quote(string value) => "'" + value.Replace("'", "''") + "'";

    [GeneratedRegex(@"^-[A-Za-z_][A-Za-z0-9_]*:?$")]
    private static partial Regex ParameterName();
}
