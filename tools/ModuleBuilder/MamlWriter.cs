using System.Xml;
using System.Xml.Linq;

namespace AnomalyTools.ModuleBuilder;

/// <summary>Writes cmdlet help in MAML, the format Get-Help reads from <c>&lt;assembly&gt;.dll-Help.xml</c>.</summary>
internal static class MamlWriter
{
    private static readonly XNamespace s_msh = "http://msh";
    private static readonly XNamespace s_maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace s_command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace s_dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static void Write(IEnumerable<CmdletHelp> help, string path)
    {
        var document = new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(s_msh + "helpItems",
                new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", s_maml),
                new XAttribute(XNamespace.Xmlns + "command", s_command),
                new XAttribute(XNamespace.Xmlns + "dev", s_dev),
                help.Select(Command)));
        var settings = new XmlWriterSettings { Indent = true, NewLineChars = "\n", Encoding = new System.Text.UTF8Encoding(false) };
        using var writer = XmlWriter.Create(path, settings);
        document.Save(writer);
    }

    private static XElement Command(CmdletHelp help) =>
        new(s_command + "command",
            new XElement(s_command + "details",
                new XElement(s_command + "name", help.Cmdlet.Name),
                new XElement(s_command + "verb", help.Cmdlet.Verb),
                new XElement(s_command + "noun", help.Cmdlet.Noun),
                Description(help.Synopsis)),
            Description(help.Description),
            new XElement(s_command + "syntax", help.Syntax.Select(SyntaxItem)),
            new XElement(s_command + "parameters", help.Parameters.Select(p => Parameter(p, p.Required, p.Position))),
            new XElement(s_command + "inputTypes", help.Inputs.Select(t => TypeEntry(s_command + "inputType", t))),
            new XElement(s_command + "returnValues", help.Outputs.Select(t => TypeEntry(s_command + "returnValue", t))),
            new XElement(s_maml + "alertSet", new XElement(s_maml + "alert", Paragraphs(help.Notes))),
            new XElement(s_command + "examples", help.Examples.Select(Example)),
            new XElement(s_command + "relatedLinks", help.RelatedLinks.Select(Link)));

    private static XElement SyntaxItem(SyntaxHelp syntax) =>
        new(s_command + "syntaxItem",
            new XElement(s_maml + "name", syntax.CommandName),
            syntax.Parameters.Select(p => Parameter(p.Parameter, p.Required, p.Position)));

    private static XElement Parameter(ParameterHelp parameter, bool required, int? position) =>
        new(s_command + "parameter",
            new XAttribute("required", required ? "true" : "false"),
            new XAttribute("variableLength", parameter.Type.IsArray ? "true" : "false"),
            new XAttribute("globbing", parameter.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", parameter.PipelineInput),
            new XAttribute("position", position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named"),
            new XAttribute("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)),
            new XElement(s_maml + "name", parameter.Name),
            Description(parameter.Description),
            parameter.AcceptedValues.Count == 0
                ? null
                : new XElement(s_command + "parameterValueGroup",
                    parameter.AcceptedValues.Select(v => new XElement(s_command + "parameterValue",
                        new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))),
            parameter.IsSwitch
                ? null
                : new XElement(s_command + "parameterValue",
                    new XAttribute("required", "true"), new XAttribute("variableLength", parameter.Type.IsArray ? "true" : "false"),
                    parameter.TypeName),
            new XElement(s_dev + "type", new XElement(s_maml + "name", parameter.TypeFullName), new XElement(s_maml + "uri")),
            new XElement(s_dev + "defaultValue", parameter.DefaultValue));

    private static XElement TypeEntry(XName name, TypeHelp type) =>
        new(name,
            new XElement(s_dev + "type", new XElement(s_maml + "name", type.TypeName)),
            Description(type.Description));

    private static XElement Example(ExampleHelp example, int index) =>
        new(s_command + "example",
            new XElement(s_maml + "title", $"---------- Example {index + 1}: {example.Title} ----------"),
            new XElement(s_dev + "code", example.Code),
            new XElement(s_dev + "remarks", Paragraphs(example.Remarks)));

    private static XElement Link(LinkHelp link) =>
        new(s_maml + "navigationLink", new XElement(s_maml + "linkText", link.Text), new XElement(s_maml + "uri", link.Uri));

    private static XElement Description(string paragraph) => Description([paragraph]);

    private static XElement Description(IEnumerable<string> paragraphs) => new(s_maml + "description", Paragraphs(paragraphs));

    private static IEnumerable<XElement> Paragraphs(IEnumerable<string> paragraphs) =>
        paragraphs.Select(p => new XElement(s_maml + "para", p));
}
