using System.Globalization;
using System.Management.Automation;
using System.Text;
using AnomalyTools;
using AnomalyTools.Rules;
using AnomalyTools.Sinks.PartFiles;
using AnomalyTools.Sources.Csv;
using CsvHelper;

/// <summary>
/// One case of the throughput benchmark, run in a process of its own so that its time and peak memory are its own:
/// read the transactions CSV, keep the amounts above 8000, write <c>id, customer, amount</c> lines into a folder.
/// </summary>
internal static class ThroughputCases
{
    public const int ReadCount = 1000;

    // Pre-built transactions that the engine floor cycles through: the input's first rows.
    private const int FloorTemplateRows = 10_000;

    public static int Run(string name, string input, string output)
    {
        Directory.CreateDirectory(output);
        switch (name)
        {
            case "pipeline":
                return RunScript("Import-Transaction -LiteralPath $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out", input, output);
            case "pipeline-unchained":
                return RunScript("Import-Transaction -LiteralPath $in -ReadCount 1 | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out", input, output);
            case "pipeline-readcount":
                return RunScript($"Import-Transaction -LiteralPath $in -ReadCount {ReadCount} | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out", input, output);
            case "floor":
                return RunFloor(input, output);
            case "core":
                return RunCore(input, output);
            case "csvhelper-loop":
                return RunCsvHelperLoop(input, output);
            case "csvhelper-fields":
                return RunCsvHelperFields(input);
            case "sylvan-fields":
                return RunSylvanFields(input);
            default:
                Console.Error.WriteLine($"unknown case '{name}'");
                return 64;
        }
    }

    private static int RunScript(string script, string input, string output, IDictionary<string, object>? variables = null)
    {
        using var runspace = ModuleRunspace.Open(typeof(GetBenchTransactionCommand).Assembly.Location);
        runspace.SessionStateProxy.SetVariable("in", input);
        runspace.SessionStateProxy.SetVariable("out", output);
        foreach (var (name, value) in variables ?? new Dictionary<string, object>()) runspace.SessionStateProxy.SetVariable(name, value);
        using var powerShell = PowerShell.Create(runspace);
        powerShell.AddScript(script).Invoke();
        foreach (var error in powerShell.Streams.Error.Take(5)) Console.Error.WriteLine(error);
        return powerShell.HadErrors ? 1 : 0;
    }

    // The engine's own cost: the same three cmdlet boundaries with objects built beforehand, no parsing, no writing.
    private static int RunFloor(string input, string output)
    {
        var rows = CountRecords(input);
        var template = Path.Combine(output, "..", Path.GetFileName(output) + "-template.csv");
        File.WriteAllLines(template, File.ReadLines(input).Take(FloorTemplateRows + 1));
        try
        {
            return RunScript(
                "$template = @(Import-Transaction -LiteralPath $templatePath); " +
                "Get-BenchTransaction -Template $template -Count $rows | Select-SuspiciousTransaction | Out-BenchNull",
                input, output, new Dictionary<string, object> { ["templatePath"] = template, ["rows"] = rows });
        }
        finally
        {
            File.Delete(template);
        }
    }

    // Core alone, as another front end would use it: reader, detector and sink, no PowerShell.
    private static int RunCore(string input, string output)
    {
        var detector = new SuspicionDetector([new ThresholdRule()]);
        using var sink = new PartFileSink(new PartFileSinkOptions(output));
        using var reader = new TransactionCsvReader(File.OpenRead(input), input);
        var errors = 0;
        foreach (var result in reader.ReadAll())
        {
            if (result.Transaction is null)
            {
                errors++;
                continue;
            }
            if (detector.Inspect(result.Transaction).Flagged is { } flagged) sink.Write(flagged);
        }
        sink.Close();
        return errors == 0 ? 0 : 1;
    }

    // The parser's own limit: CsvHelper's low-level reader in a plain loop, three fields typed, matches written.
    private static int RunCsvHelperLoop(string input, string output)
    {
        var options = new CsvReaderOptions { HasHeader = true, Mode = CsvMode.Rfc4180, PoolStrings = true };
        using var csv = CsvReader.Create(File.OpenRead(input), options);
        using var writer = new StreamWriter(Path.Combine(output, "part-0-00000"), false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        csv.ReadHeader();
        while (csv.Read())
        {
            var id = csv.GetString(0);
            var customer = csv.GetString(1);
            if (!decimal.TryParse(csv.GetSpan(2), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount)) return 1;
            if (amount > 8000m) writer.WriteLine($"{id}, {customer}, {amount.ToString(CultureInfo.InvariantCulture)}");
        }
        return 0;
    }

    // The parser's share of Core alone: CsvHelper with the reader's own settings (trimming, line numbers, malformed
    // records skipped) giving every field of every record, nothing decoded, typed or written.
    private static int RunCsvHelperFields(string input)
    {
        using var csv = CsvReader.Create(File.OpenRead(input), TransactionCsvReader.CreateCsvOptions(new TransactionCsvOptions(), _ => { }));
        csv.ReadHeader();
        long bytes = 0;
        while (csv.Read())
        {
            for (var i = 0; i < csv.FieldCount; i++) bytes += csv.GetSpan(i).Length;
        }
        return bytes > 0 ? 0 : 1;
    }

    // The alternative parser doing the same: Sylvan.Data.Csv (net6.0 build, SIMD), every field of every record
    // as a span of chars, nothing typed or written.
    private static int RunSylvanFields(string input)
    {
        using var text = new StreamReader(input, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, 1 << 16);
        using var csv = Sylvan.Data.Csv.CsvDataReader.Create(text);
        long chars = 0;
        while (csv.Read())
        {
            for (var i = 0; i < csv.FieldCount; i++) chars += csv.GetFieldSpan(i).Length;
        }
        return chars > 0 ? 0 : 1;
    }

    private static long CountRecords(string input)
    {
        long lines = 0;
        using var stream = File.OpenRead(input);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = stream.Read(buffer)) > 0) lines += buffer.AsSpan(0, read).Count((byte)'\n');
        return lines - 1;
    }
}

/// <summary>Emits pre-built objects, cycling through them: the engine floor's source.</summary>
[Cmdlet(VerbsCommon.Get, "BenchTransaction")]
public sealed class GetBenchTransactionCommand : PSCmdlet
{
    [Parameter(Mandatory = true)]
    public object[] Template { get; set; } = [];

    [Parameter(Mandatory = true)]
    public long Count { get; set; }

    protected override void ProcessRecord()
    {
        // The array PowerShell binds holds the transactions wrapped in PSObjects. Passing the wrappers on would spare the
        // engine the wrapper it makes downstream for every fresh object, 150 bytes a row: the floor passes transactions.
        var transactions = Template.Select(item => item is PSObject wrapper ? wrapper.BaseObject : item).ToArray();
        for (long i = 0; i < Count; i++) WriteObject(transactions[i % transactions.Length]);
    }
}

/// <summary>Takes objects and does nothing with them: the engine floor's sink.</summary>
[Cmdlet(VerbsData.Out, "BenchNull")]
public sealed class OutBenchNullCommand : PSCmdlet
{
    [Parameter(ValueFromPipeline = true)]
    public object? InputObject { get; set; }
}
