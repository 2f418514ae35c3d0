using AnomalyTools.ModuleBuilder;

// Usage:
//   AnomalyTools.ModuleBuilder help <manifest.psd1> <AnomalyTools.xml> <output AnomalyTools.dll-Help.xml> [<markdown folder>]
//   AnomalyTools.ModuleBuilder nuspec <manifest.psd1> <output .nuspec>
// Exits 1 with the reasons when the help is incomplete, so that the build fails where the documentation is missing.
try
{
    switch (args)
    {
        case ["help", var manifest, var documentation, var output, .. var markdown] when markdown.Length <= 1:
        {
            using var module = LoadedModule.Import(manifest);
            var comments = DocComments.Load(documentation);
            var help = module.Cmdlets.Select(cmdlet => CmdletHelp.From(cmdlet, comments)).ToList();
            var problems = help.SelectMany(h => h.Problems()).ToList();
            if (problems.Count > 0)
            {
                foreach (var problem in problems) Console.Error.WriteLine($"{documentation}: error: {problem}");
                return 1;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            MamlWriter.Write(help, output);
            Console.WriteLine($"Wrote help for {help.Count} cmdlets to {output}");
            if (markdown is [var folder])
            {
                MarkdownWriter.Write(module, help, folder);
                Console.WriteLine($"Wrote the cmdlet reference for {help.Count} cmdlets to {folder}");
            }
            return 0;
        }
        case ["nuspec", var manifest, var output]:
        {
            using var module = LoadedModule.Import(manifest);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            NuspecWriter.Write(module, output);
            Console.WriteLine($"Wrote {output} for {module.Info.Name} {module.Info.Version}");
            return 0;
        }
        default:
            Console.Error.WriteLine("usage: AnomalyTools.ModuleBuilder help <manifest> <doc.xml> <output> [<markdown folder>] | nuspec <manifest> <output>");
            return 64;
    }
}
catch (Exception exception) when (exception is IOException or InvalidOperationException or System.Xml.XmlException or System.Management.Automation.RuntimeException)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    return 1;
}
