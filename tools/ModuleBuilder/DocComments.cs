using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AnomalyTools.ModuleBuilder;

/// <summary>
/// The XML doc comments the compiler wrote for the cmdlets' assembly, read as help text: paragraphs of plain words, and
/// code kept line by line.
/// </summary>
internal sealed partial class DocComments
{
    private readonly Dictionary<string, XElement> _members;

    private DocComments(Dictionary<string, XElement> members)
    {
        _members = members;
    }

    public static DocComments Load(string path) =>
        new(XDocument.Load(path).Descendants("member").ToDictionary(m => (string)m.Attribute("name")!, StringComparer.Ordinal));

    /// <summary>The comment of a type (<c>T:</c>) or a property (<c>P:</c>), or null.</summary>
    public XElement? Member(string id) => _members.GetValueOrDefault(id);

    /// <summary>
    /// The paragraphs of an element: each <c>&lt;para&gt;</c> (of the given type, when one is asked for) is one; text
    /// outside them is one too.
    /// </summary>
    public static IReadOnlyList<string> Paragraphs(XElement? element, string? paraType = null)
    {
        if (element is null) return [];
        var paragraphs = new List<string>();
        var loose = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            if (node is XElement { Name.LocalName: "para" } para)
            {
                Flush(loose, paragraphs, paraType);
                if (paraType is null || (string?)para.Attribute("type") == paraType) Add(paragraphs, Inline(para));
            }
            else if (node is XElement { Name.LocalName: "list" } list)
            {
                Flush(loose, paragraphs, paraType);
                if (paraType is null) paragraphs.AddRange(list.Elements("item").Select(item => "- " + Words(Inline(item))));
            }
            else
            {
                loose.Append(node is XElement inline ? Inline(inline) : (node as XText)?.Value);
            }
        }
        Flush(loose, paragraphs, paraType);
        return paragraphs;
    }

    /// <summary>Code as written, without the indentation that the comment's position gave every line.</summary>
    public static string Code(XElement code)
    {
        var lines = code.Value.Replace("\r\n", "\n").Split('\n').ToList();
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[0])) lines.RemoveAt(0);
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1])) lines.RemoveAt(lines.Count - 1);
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..].TrimEnd() : l.Trim()));
    }

    /// <summary>The plain text of an element: inline code as its text, references by their short names.</summary>
    public static string Inline(XElement element)
    {
        var text = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText t:
                    text.Append(t.Value);
                    break;
                case XElement { Name.LocalName: "see" or "seealso" } see when see.Attribute("cref") is { } cref:
                    text.Append(ShortName(cref.Value));
                    break;
                case XElement { Name.LocalName: "see" } see when see.Attribute("langword") is { } word:
                    text.Append(word.Value);
                    break;
                case XElement { Name.LocalName: "paramref" } parameter:
                    text.Append('-').Append((string?)parameter.Attribute("name"));
                    break;
                case XElement other:
                    text.Append(Inline(other));
                    break;
            }
        }
        return text.ToString();
    }

    /// <summary>Whitespace, line breaks included, made single spaces.</summary>
    public static string Words(string text) => Whitespace().Replace(text, " ").Trim();

    private static string ShortName(string cref)
    {
        var name = cref.Contains(':') ? cref[(cref.IndexOf(':') + 1)..] : cref;
        var lastDot = name.LastIndexOf('.');
        return lastDot < 0 ? name : name[(lastDot + 1)..];
    }

    private static void Flush(StringBuilder loose, List<string> paragraphs, string? paraType)
    {
        if (paraType is null) Add(paragraphs, loose.ToString());
        loose.Clear();
    }

    private static void Add(List<string> paragraphs, string text)
    {
        var words = Words(text);
        if (words.Length > 0) paragraphs.Add(words);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
