using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace AnomalyTools.Tests;

/// <summary>
/// What a reader of an output folder may take as output: its committed parts, <c>part-&lt;subtask&gt;-&lt;counter&gt;</c>,
/// in order of subtask, then counter, both as numbers (<c>part-0-100000</c> comes after <c>part-0-99999</c>). Parts in
/// progress (<c>.part-0-00001.inprogress</c>), other hidden files, <c>_SUCCESS</c>, <c>_checkpoints</c> and bucket
/// folders are not. Worked out here from the names alone, not by the sink's own code, so that it checks the sink.
/// </summary>
public static class OutputFolderContent
{
    private static readonly Regex s_committedPart = new(@"^part-(?<subtask>\d+)-(?<counter>\d+)$", RegexOptions.CultureInvariant);

    /// <summary>The paths of the committed parts directly in <paramref name="folder"/>, in order; none when there is no folder.</summary>
    public static string[] CommittedParts(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        return Directory.GetFiles(folder)
            .Select(path => (Path: path, Match: s_committedPart.Match(Path.GetFileName(path))))
            .Where(part => part.Match.Success)
            .OrderBy(part => long.Parse(part.Match.Groups["subtask"].Value, CultureInfo.InvariantCulture))
            .ThenBy(part => long.Parse(part.Match.Groups["counter"].Value, CultureInfo.InvariantCulture))
            .Select(part => part.Path)
            .ToArray();
    }

    /// <summary>
    /// The lines of the committed parts of <paramref name="folder"/>, part after part, without their <c>\n</c>. Every
    /// committed part must be whole: not empty, UTF-8, ending with <c>\n</c>.
    /// </summary>
    public static string[] CommittedLines(string folder) =>
        CommittedParts(folder).SelectMany(part =>
        {
            var text = File.ReadAllText(part, Encoding.UTF8);
            Assert.True(text.Length > 0 && text.EndsWith('\n'), $"{part} is not whole");
            return text[..^1].Split('\n');
        }).ToArray();
}
