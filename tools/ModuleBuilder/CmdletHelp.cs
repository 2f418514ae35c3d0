using System.Globalization;
using System.Management.Automation;
using System.Xml.Linq;

namespace AnomalyTools.ModuleBuilder;

/// <summary>Everything Get-Help shows for one cmdlet: the words from its doc comments, the facts from the engine.</summary>
internal sealed record CmdletHelp(
    CmdletInfo Cmdlet,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<SyntaxHelp> Syntax,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<LinkHelp> RelatedLinks)
{
    /// <summary>Examples a cmdlet needs at least, so that a user sees more than the plain call.</summary>
    public const int MinimumExamples = 3;

    // PowerShell's own texts for the risk-mitigation parameters, as in its cmdlets' help.
    private static readonly Dictionary<string, string> s_shouldProcessParameters = new()
    {
        ["WhatIf"] = "Shows what would happen if the cmdlet runs. The cmdlet is not run.",
        ["Confirm"] = "Prompts you for confirmation before running the cmdlet.",
    };

    public static CmdletHelp From(CmdletInfo cmdlet, DocComments comments)
    {
        var type = cmdlet.ImplementingType;
        var comment = comments.Member("T:" + type.FullName);
        var summary = comment?.Element("summary");
        var defaults = DefaultValues(type);
        var parameters = ParameterNames(cmdlet)
            .Select(name => ParameterHelp.From(cmdlet, name, comments, defaults, s_shouldProcessParameters))
            .ToList();

        return new CmdletHelp(
            cmdlet,
            DocComments.Paragraphs(summary, "synopsis").FirstOrDefault() ?? string.Empty,
            DocComments.Paragraphs(summary, "description"),
            comment?.Elements("example").Select(ExampleHelp.From).ToList() ?? [],
            parameters,
            cmdlet.ParameterSets.Select(set => SyntaxHelp.From(cmdlet.Name, set, parameters)).ToList(),
            comment?.Elements("input").Select(TypeHelp.From).ToList() ?? [],
            comment?.Elements("output").Select(TypeHelp.From).ToList() ?? [],
            DocComments.Paragraphs(comment?.Element("remarks")),
            comment?.Elements("related").Select(LinkHelp.From).ToList() ?? []);
    }

    /// <summary>What is missing for Get-Help to answer fully; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        var name = Cmdlet.Name;
        if (Synopsis.Length == 0) yield return $"{name} has no <para type=\"synopsis\"> in its class's <summary>.";
        if (Description.Count == 0) yield return $"{name} has no <para type=\"description\"> in its class's <summary>.";
        if (Examples.Count < MinimumExamples) yield return $"{name} has {Examples.Count} <example> elements; at least {MinimumExamples} are expected.";
        foreach (var example in Examples.Where(e => e.Title.Length == 0 || e.Code.Length == 0 || e.Remarks.Count == 0))
        {
            yield return $"{name} has an example without a <title>, a <code> or a <para> that explains it: '{example.Title}'.";
        }
        foreach (var parameter in Parameters.Where(p => p.Description.Count == 0))
        {
            yield return $"{name} -{parameter.Name} has no <summary>.";
        }
        if (Inputs.Count == 0) yield return $"{name} has no <input type=\"...\"> element.";
        var declared = Cmdlet.OutputType.Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        var documented = Outputs.Select(o => o.TypeName).Order(StringComparer.Ordinal).ToList();
        if (declared.Count == 0) yield return $"{name} declares no [OutputType].";
        if (!declared.SequenceEqual(documented))
        {
            yield return $"{name} declares [OutputType] {string.Join(", ", declared)} but documents <output> {string.Join(", ", documented)}.";
        }
    }

    private static IEnumerable<string> ParameterNames(CmdletInfo cmdlet)
    {
        // Declaration order, as the author grouped them; the risk-mitigation parameters last, as PowerShell shows them.
        var declared = cmdlet.ImplementingType.GetProperties().Select(p => p.Name);
        return declared.Concat(s_shouldProcessParameters.Keys)
            .Where(name => cmdlet.Parameters.ContainsKey(name) && !System.Management.Automation.Cmdlet.CommonParameters.Contains(name))
            .Distinct(StringComparer.OrdinalIgnoreCase);
    }

    private static Dictionary<string, object?> DefaultValues(Type cmdletType)
    {
        var instance = Activator.CreateInstance(cmdletType)!;
        try
        {
            return cmdletType.GetProperties()
                .Where(p => p.GetCustomAttributes(typeof(ParameterAttribute), true).Length > 0)
                .ToDictionary(p => p.Name, p => p.GetValue(instance));
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }
}

internal sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks)
{
    public static ExampleHelp From(XElement example) =>
        new(DocComments.Words(example.Element("title")?.Value ?? string.Empty),
            example.Element("code") is { } code ? DocComments.Code(code) : string.Empty,
            example.Elements("para").Select(p => DocComments.Words(DocComments.Inline(p))).Where(p => p.Length > 0).ToList());
}

internal sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description)
{
    public static TypeHelp From(XElement element) =>
        new((string?)element.Attribute("type") ?? string.Empty, DocComments.Paragraphs(element));
}

internal sealed record LinkHelp(string Text, string Uri)
{
    public static LinkHelp From(XElement element) =>
        new(DocComments.Words(element.Value), (string?)element.Attribute("href") ?? string.Empty);
}

/// <summary>One parameter set as Get-Help's SYNTAX shows it.</summary>
internal sealed record SyntaxHelp(string CommandName, string SetName, IReadOnlyList<(ParameterHelp Parameter, bool Required, int? Position)> Parameters)
{
    public static SyntaxHelp From(string commandName, CommandParameterSetInfo set, IReadOnlyList<ParameterHelp> documented)
    {
        var inSet = set.Parameters.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        return new SyntaxHelp(commandName, set.Name, documented
            .Where(p => inSet.ContainsKey(p.Name))
            .Select(p => (p, inSet[p.Name].IsMandatory, Position(inSet[p.Name].Position)))
            .OrderBy(p => p.Item3 ?? int.MaxValue)
            .ToList());
    }

    private static int? Position(int position) => position == int.MinValue ? null : position;
}

internal sealed record ParameterHelp(
    string Name,
    Type Type,
    IReadOnlyList<string> Description,
    bool Required,
    int? Position,
    string PipelineInput,
    bool Globbing,
    IReadOnlyList<string> Aliases,
    string DefaultValue,
    IReadOnlyList<string> AcceptedValues)
{
    public bool IsSwitch => Type == typeof(SwitchParameter);

    /// <summary>The type as help shows it: String[], TimeSpan (not Nullable`1).</summary>
    public string TypeName => (Nullable.GetUnderlyingType(Type) ?? Type).Name;

    public string TypeFullName => (Nullable.GetUnderlyingType(Type) ?? Type).FullName ?? TypeName;

    public static ParameterHelp From(
        CmdletInfo cmdlet, string name, DocComments comments, IReadOnlyDictionary<string, object?> defaults,
        IReadOnlyDictionary<string, string> shouldProcessTexts)
    {
        var metadata = cmdlet.Parameters[name];
        var sets = metadata.ParameterSets.Values.ToList();
        var description = shouldProcessTexts.TryGetValue(name, out var text)
            ? [text]
            : DocComments.Paragraphs(comments.Member($"P:{cmdlet.ImplementingType.FullName}.{name}")?.Element("summary"));
        var byValue = sets.Any(s => s.ValueFromPipeline);
        var byName = sets.Any(s => s.ValueFromPipelineByPropertyName);
        var pipelineInput = (byName, byValue) switch
        {
            (true, true) => "True (ByPropertyName, ByValue)",
            (true, false) => "True (ByPropertyName)",
            (false, true) => "True (ByValue)",
            _ => "False",
        };
        var position = sets.Select(s => s.Position).Where(p => p != int.MinValue).Select(p => (int?)p).FirstOrDefault();
        var enumType = Nullable.GetUnderlyingType(metadata.ParameterType) ?? metadata.ParameterType;

        return new ParameterHelp(
            name,
            metadata.ParameterType,
            description,
            sets.All(s => s.IsMandatory),
            position,
            pipelineInput,
            metadata.Attributes.OfType<SupportsWildcardsAttribute>().Any(),
            metadata.Aliases,
            sets.All(s => s.IsMandatory) ? "None" : FormatDefault(defaults.GetValueOrDefault(name)),
            enumType.IsEnum ? Enum.GetNames(enumType) : []);
    }

    private static string FormatDefault(object? value) => value switch
    {
        null => "None",
        SwitchParameter switchParameter => switchParameter.IsPresent ? "True" : "False",
        string { Length: 0 } => "None",
        Array { Length: 0 } => "None",
        TimeSpan interval => interval.ToString("c", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "None",
    };
}
