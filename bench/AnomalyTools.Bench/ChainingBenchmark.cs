using System.Globalization;

/// <summary>
/// Chaining, side by side in one run: the plain three-cmdlet pipeline (which chains), the same with
/// <c>-ReadCount 1</c> (chaining off: every object crosses the engine), the same with <c>-ReadCount 1000</c>, and pandas,
/// on two data sets: one row in a thousand suspicious, and one in five, where the second hand-over (Select to Export)
/// carries a fifth of the rows.
/// </summary>
internal static class ChainingBenchmark
{
    private static readonly (string Name, int OneIn)[] s_dataSets =
        [("1 in 1000 suspicious", TransactionGenerator.DefaultSuspiciousOneIn), ("1 in 5 suspicious", TransactionGenerator.BusySuspiciousOneIn)];

    public static int Run(string[] arguments)
    {
        var runs = arguments.Length > 0 ? int.Parse(arguments[0], CultureInfo.InvariantCulture) : 3;
        var rows = arguments.Length > 1 ? long.Parse(arguments[1], CultureInfo.InvariantCulture) : 10_000_000;
        var work = BenchData.Folder;
        Directory.CreateDirectory(work);
        var pandas = ThroughputBenchmark.PandasVersion();
        var self = ThroughputBenchmark.SelfCommand();
        var pandasScript = Path.Combine(ModuleRunspace.RepoRoot, "bench", "pandas_job.py");
        ThroughputBenchmark.Case InProcess(string name, string description) => new(name, description, (input, output) => [.. self, "case", name, input, output]);
        var cases = new List<ThroughputBenchmark.Case>
        {
            InProcess("pipeline", "Import- \\| Select- \\| Export- (chained)"),
            InProcess("pipeline-unchained", "the same, Import-Transaction -ReadCount 1 (chaining off)"),
            InProcess("pipeline-readcount", $"the same, Import-Transaction -ReadCount {ThroughputCases.ReadCount}"),
        };
        if (pandas != null) cases.Add(new("pandas", "pandas: read_csv whole file, filter, write", (input, output) => [ThroughputBenchmark.Python, pandasScript, input, output]));

        Console.WriteLine($"Chaining: median of {runs} rounds, each case once a round, each in a process of its own; {rows:N0} rows; {Environment.ProcessorCount} cores, .NET {Environment.Version}; {pandas ?? "pandas not installed"}");
        foreach (var (dataSet, oneIn) in s_dataSets)
        {
            var input = BenchData.Input(rows, oneIn);
            var measured = cases.ToDictionary(@case => @case.Name, _ => new List<ThroughputBenchmark.Measurement>());
            for (var round = 0; round < runs; round++)
            {
                foreach (var @case in cases)
                {
                    if (ThroughputBenchmark.Measure(@case, input, Path.Combine(work, "out-chaining-" + @case.Name)) is { } measurement) measured[@case.Name].Add(measurement);
                }
            }
            var medians = measured.Where(pair => pair.Value.Count > 0).ToDictionary(pair => pair.Key, pair => ThroughputBenchmark.Median(pair.Value.Select(m => m.Seconds)));
            var chainedDigest = measured["pipeline"].LastOrDefault()?.OutputDigest;
            Console.WriteLine();
            Console.WriteLine($"### {dataSet}, {rows:N0} rows ({new FileInfo(input).Length / 1e6:N0} MB)");
            Console.WriteLine();
            Console.WriteLine("| case | median time | rows/s | × -ReadCount 1000 | × pandas | output |");
            Console.WriteLine("|---|---:|---:|---:|---:|---|");
            foreach (var @case in cases.Where(c => medians.ContainsKey(c.Name)))
            {
                var seconds = medians[@case.Name];
                var last = measured[@case.Name][^1];
                string Ratio(string other) => medians.TryGetValue(other, out var o) ? (seconds / o).ToString("0.00", CultureInfo.InvariantCulture) : "–";
                var output = @case.Name == "pandas" ? $"{last.OutputLines:N0} lines" : last.OutputDigest == chainedDigest ? $"{last.OutputLines:N0} lines, same bytes as chained" : $"{last.OutputLines:N0} lines, DIFFERENT bytes";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {@case.Description} | {seconds:0.00} s | {rows / seconds / 1e6:0.00} M | {Ratio("pipeline-readcount")} | {Ratio("pandas")} | {output} |"));
            }
            var pandasLimit = oneIn == TransactionGenerator.DefaultSuspiciousOneIn ? 0.5 : 0.8;
            Console.WriteLine();
            Console.WriteLine(Target("plain pipeline ≤ 1.2 × -ReadCount 1000", medians, "pipeline-readcount", 1.2));
            Console.WriteLine(Target($"plain pipeline ≤ {pandasLimit.ToString(CultureInfo.InvariantCulture)} × pandas", medians, "pandas", pandasLimit));
        }
        return 0;
    }

    private static string Target(string target, Dictionary<string, double> medians, string reference, double limit)
    {
        if (!medians.TryGetValue("pipeline", out var chained) || !medians.TryGetValue(reference, out var other)) return $"- {target}: not measured";
        var ratio = chained / other;
        return string.Create(CultureInfo.InvariantCulture, $"- {target}: {ratio:0.00} × ({(ratio <= limit ? "met" : "NOT MET")})");
    }
}
