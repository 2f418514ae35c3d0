using System.Text;

namespace AnomalyTools.ModuleBuilder;

/// <summary>
/// Writes the cmdlet reference for the web, <c>docs/cmdlets/&lt;Name&gt;.md</c>, in the layout platyPS writes, from the
/// same <see cref="CmdletHelp"/> as the MAML help, so that the help in the shell and on the web is the same text.
/// </summary>
internal static class MarkdownWriter
{
    /// <summary>The page that lists the module's cmdlets, as platyPS's module page.</summary>
    public const string ModulePage = "AnomalyTools.md";

    private const string CommonParametersText =
        "This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, " +
        "-InformationVariable, -OutBuffer, -OutVariable, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, " +
        "and -WarningVariable. For more information, see " +
        "[about_CommonParameters](https://go.microsoft.com/fwlink/?LinkID=113216).";

    /// <summary>
    /// Writes one page per cmdlet and the module page into <paramref name="folder"/>, and removes the pages of cmdlets
    /// that are gone. Every byte depends on the help only (no path, no time), with <c>\n</c> line ends.
    /// </summary>
    public static void Write(LoadedModule module, IReadOnlyList<CmdletHelp> help, string folder)
    {
        Directory.CreateDirectory(folder);
        var pages = help.ToDictionary(h => h.Cmdlet.Name + ".md", h => CmdletPage(module, h, help), StringComparer.Ordinal);
        pages[ModulePage] = ModuleIndex(module, help);
        foreach (var stale in Directory.GetFiles(folder, "*.md").Where(f => !pages.ContainsKey(Path.GetFileName(f))))
        {
            File.Delete(stale);
        }
        foreach (var (name, text) in pages)
        {
            File.WriteAllText(Path.Combine(folder, name), text, new UTF8Encoding(false));
        }
    }

    private static string ModuleIndex(LoadedModule module, IReadOnlyList<CmdletHelp> help)
    {
        var page = new PageText();
        page.Line("---");
        page.Line($"Module Name: {module.Info.Name}");
        page.Line($"Module Guid: {module.Info.Guid}");
        page.Line("Download Help Link: ");
        page.Line($"Help Version: {module.Info.Version}");
        page.Line("Locale: en-US");
        page.Line("---");
        page.Blank();
        page.Line($"# {module.Info.Name} Module");
        page.Blank();
        page.Line("## Description");
        page.Blank();
        page.Line(module.Info.Description);
        page.Blank();
        page.Line($"## {module.Info.Name} Cmdlets");
        foreach (var cmdlet in help)
        {
            page.Blank();
            page.Line($"### [{cmdlet.Cmdlet.Name}]({cmdlet.Cmdlet.Name}.md)");
            page.Blank();
            page.Line(cmdlet.Synopsis);
        }
        return page.ToString();
    }

    private static string CmdletPage(LoadedModule module, CmdletHelp help, IReadOnlyList<CmdletHelp> all)
    {
        var page = new PageText();
        page.Line("---");
        page.Line("external help file: AnomalyTools.dll-Help.xml");
        page.Line($"Module Name: {module.Info.Name}");
        page.Line("online version:");
        page.Line("schema: 2.0.0");
        page.Line("---");
        page.Blank();
        page.Line($"# {help.Cmdlet.Name}");
        page.Blank();
        page.Line("## SYNOPSIS");
        page.Blank();
        page.Line(help.Synopsis);
        page.Blank();
        page.Line("## SYNTAX");
        foreach (var syntax in help.Syntax)
        {
            page.Blank();
            var isDefault = help.Cmdlet.ParameterSets.Count > 1 && syntax.SetName == help.Cmdlet.DefaultParameterSet;
            page.Line($"### {(syntax.SetName == "__AllParameterSets" ? "__AllParameterSets" : syntax.SetName)}{(isDefault ? " (Default)" : "")}");
            page.Blank();
            page.Line("```");
            page.Line(SyntaxLine(syntax));
            page.Line("```");
        }
        page.Blank();
        page.Line("## DESCRIPTION");
        page.Paragraphs(help.Description);
        page.Blank();
        page.Line("## EXAMPLES");
        for (var i = 0; i < help.Examples.Count; i++)
        {
            var example = help.Examples[i];
            page.Blank();
            page.Line($"### Example {i + 1}: {example.Title}");
            page.Blank();
            page.Line("```powershell");
            page.Line(example.Code);
            page.Line("```");
            page.Paragraphs(example.Remarks);
        }
        page.Blank();
        page.Line("## PARAMETERS");
        foreach (var parameter in help.Parameters)
        {
            page.Blank();
            page.Line($"### -{parameter.Name}");
            page.Paragraphs(parameter.Description);
            page.Blank();
            page.Line("```yaml");
            page.Line($"Type: {parameter.TypeName}");
            page.Line($"Parameter Sets: {ParameterSets(help, parameter)}");
            page.Line($"Aliases: {string.Join(", ", parameter.Aliases)}".TrimEnd());
            if (parameter.AcceptedValues.Count > 0) page.Line($"Accepted values: {string.Join(", ", parameter.AcceptedValues)}");
            page.Blank();
            page.Line($"Required: {(parameter.Required ? "True" : "False")}");
            page.Line($"Position: {(parameter.Position is int position ? position.ToString(System.Globalization.CultureInfo.InvariantCulture) : "Named")}");
            page.Line($"Default value: {parameter.DefaultValue}");
            page.Line($"Accept pipeline input: {parameter.PipelineInput}");
            page.Line($"Accept wildcard characters: {(parameter.Globbing ? "True" : "False")}");
            page.Line("```");
        }
        page.Blank();
        page.Line("### CommonParameters");
        page.Blank();
        page.Line(CommonParametersText);
        page.Blank();
        page.Line("## INPUTS");
        Types(page, help.Inputs);
        page.Blank();
        page.Line("## OUTPUTS");
        Types(page, help.Outputs);
        page.Blank();
        page.Line("## NOTES");
        page.Paragraphs(help.Notes);
        page.Blank();
        page.Line("## RELATED LINKS");
        foreach (var link in help.RelatedLinks)
        {
            page.Blank();
            page.Line(Link(link, all));
        }
        return page.ToString();
    }

    private static void Types(PageText page, IReadOnlyList<TypeHelp> types)
    {
        foreach (var type in types)
        {
            page.Blank();
            page.Line($"### {type.TypeName}");
            page.Paragraphs(type.Description);
        }
    }

    /// <summary>A line of SYNTAX as platyPS writes it: optional parts in brackets, positional names in brackets too.</summary>
    private static string SyntaxLine(SyntaxHelp syntax)
    {
        var parts = new List<string> { syntax.CommandName };
        foreach (var (parameter, required, position) in syntax.Parameters)
        {
            var name = position is null ? $"-{parameter.Name}" : $"[-{parameter.Name}]";
            var part = parameter.IsSwitch ? name : $"{name} <{parameter.TypeName}>";
            parts.Add(required ? part : $"[{part}]");
        }
        parts.Add("[<CommonParameters>]");
        return string.Join(" ", parts);
    }

    private static string ParameterSets(CmdletHelp help, ParameterHelp parameter)
    {
        var sets = help.Syntax.Where(s => s.Parameters.Any(p => p.Parameter.Name == parameter.Name)).Select(s => s.SetName).ToList();
        return sets.Count == help.Syntax.Count ? "(All)" : string.Join(", ", sets);
    }

    /// <summary>
    /// A related link: the web address when it has one, the page of another cmdlet of the module, or else its text alone,
    /// since a link without a target is a dead link on the web.
    /// </summary>
    private static string Link(LinkHelp link, IReadOnlyList<CmdletHelp> all)
    {
        if (link.Uri.Length > 0) return $"[{link.Text}]({link.Uri})";
        return all.Any(h => h.Cmdlet.Name == link.Text) ? $"[{link.Text}]({link.Text}.md)" : link.Text;
    }

    private sealed class PageText
    {
        private readonly StringBuilder _text = new();

        public void Line(string text) => _text.Append(text.Replace("\r\n", "\n")).Append('\n');

        public void Blank() => _text.Append('\n');

        public void Paragraphs(IEnumerable<string> paragraphs)
        {
            foreach (var paragraph in paragraphs)
            {
                Blank();
                Line(paragraph);
            }
        }

        public override string ToString() => _text.ToString();
    }
}
