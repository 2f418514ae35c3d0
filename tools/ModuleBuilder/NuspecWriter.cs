using System.Xml;
using System.Xml.Linq;

namespace AnomalyTools.ModuleBuilder;

/// <summary>
/// Writes the nuspec of the module's PowerShell Gallery package from its manifest, the one place that describes the
/// module: id, version, description, authors, links, and the tags the Gallery searches by.
/// </summary>
internal static class NuspecWriter
{
    private static readonly XNamespace s_nuspec = "http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd";

    public static void Write(LoadedModule module, string path)
    {
        var info = module.Info;
        var metadata = new XElement(s_nuspec + "metadata",
            Element("id", info.Name),
            Element("version", Version(module)),
            Element("authors", info.Author),
            Element("owners", info.CompanyName),
            Element("description", info.Description),
            Element("releaseNotes", module.PSData("ReleaseNotes") as string),
            Element("copyright", info.Copyright),
            Element("tags", string.Join(" ", Tags(module))),
            Element("projectUrl", info.ProjectUri?.AbsoluteUri),
            Element("licenseUrl", info.LicenseUri?.AbsoluteUri),
            Element("requireLicenseAcceptance", "false"));
        var files = new XElement(s_nuspec + "files",
            new XElement(s_nuspec + "file", new XAttribute("src", Path.Combine(module.Folder, "**", "*")), new XAttribute("target", "")));
        var document = new XDocument(new XElement(s_nuspec + "package", metadata, files));

        var settings = new XmlWriterSettings { Indent = true, NewLineChars = "\n", Encoding = new System.Text.UTF8Encoding(false) };
        using var writer = XmlWriter.Create(path, settings);
        document.Save(writer);
    }

    /// <summary>The manifest's tags, then the ones the Gallery derives from a module: what it is and what it exports.</summary>
    public static IEnumerable<string> Tags(LoadedModule module)
    {
        var own = module.PSData("Tags") switch
        {
            object[] tags => tags.Select(t => t.ToString()!),
            string tag => [tag],
            _ => [],
        };
        var derived = new[] { "PSModule", "PSIncludes_Cmdlet" }
            .Concat(module.Cmdlets.Select(c => "PSCmdlet_" + c.Name))
            .Concat(module.Cmdlets.Select(c => "PSCommand_" + c.Name));
        return own.Concat(derived).Distinct(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>ModuleVersion, with the manifest's Prerelease label when it has one (1.2.0-beta1).</summary>
    private static string Version(LoadedModule module) =>
        module.PSData("Prerelease") is string { Length: > 0 } prerelease
            ? $"{module.Info.Version}-{prerelease}"
            : module.Info.Version.ToString();

    private static XElement? Element(string name, string? value) =>
        string.IsNullOrEmpty(value) ? null : new XElement(s_nuspec + name, value);
}
