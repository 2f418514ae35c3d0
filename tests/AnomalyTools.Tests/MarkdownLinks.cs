using System.Text;
using System.Text.RegularExpressions;

namespace AnomalyTools.Tests;

/// <summary>
/// The relative links of Markdown documents, resolved as GitHub resolves them: a path from the document's folder, and an
/// anchor that must be the slug of a heading of the target.
/// </summary>
internal static partial class MarkdownLinks
{
    /// <summary>Every relative link of <paramref name="document"/> that leads nowhere, as "line: target: why".</summary>
    public static IEnumerable<string> DeadLinks(string document, Func<string, string?> readFile)
    {
        var text = readFile(document) ?? throw new FileNotFoundException(document);
        var folder = Path.GetDirectoryName(document)!;
        foreach (var (line, target) in Links(text))
        {
            if (IsExternal(target)) continue;
            if (target.Length == 0)
            {
                yield return $"{line}: a link without a target";
                continue;
            }
            var hash = target.IndexOf('#');
            var path = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
            var anchor = hash < 0 ? null : target[(hash + 1)..];
            var file = path.Length == 0 ? document : Path.GetFullPath(Path.Combine(folder, path));
            var targetText = path.Length == 0 ? text : readFile(file);
            if (targetText is null && !Directory.Exists(file))
            {
                yield return $"{line}: {target}: no file or folder {path}";
                continue;
            }
            if (anchor is null) continue;
            if (targetText is null || !Anchors(targetText).Contains(anchor))
            {
                yield return $"{line}: {target}: no heading with the anchor #{anchor} in {(path.Length == 0 ? "this document" : path)}";
            }
        }
    }

    /// <summary>The links of a document with their line numbers, leaving out code blocks and code spans.</summary>
    public static IEnumerable<(int Line, string Target)> Links(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var fenced = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }
            if (fenced) continue;
            var prose = CodeSpan().Replace(lines[i], "");
            foreach (Match match in Link().Matches(prose))
            {
                yield return (i + 1, match.Groups["target"].Value);
            }
        }
    }

    /// <summary>The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces as hyphens, -1, -2 for repeats.</summary>
    public static HashSet<string> Anchors(string text)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var fenced = false;
        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }
            if (fenced) continue;
            var heading = Heading().Match(line);
            if (!heading.Success) continue;
            var slug = Slug(heading.Groups["text"].Value);
            var unique = slug;
            for (var n = 1; !anchors.Add(unique); n++) unique = $"{slug}-{n}";
        }
        return anchors;
    }

    public static string Slug(string heading)
    {
        // The text as rendered: a link shows its text, code its content.
        var rendered = InlineLink().Replace(heading, "${text}").Replace("`", "");
        var slug = new StringBuilder();
        foreach (var c in rendered.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c == '-' || c == '_') slug.Append(c);
            else if (c == ' ') slug.Append('-');
        }
        return slug.ToString();
    }

    private static bool IsExternal(string target) =>
        target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || target.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\]\((?<target>[^)\s]*)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();
}
