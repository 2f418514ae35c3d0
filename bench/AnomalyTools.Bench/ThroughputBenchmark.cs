using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

/// <summary>
/// Throughput and memory, side by side in one run: every case does the same job (read the transactions CSV, keep
/// the amounts above 8000, write <c>id, customer, amount</c> lines) in a process of its own, several times; the
/// table gives medians, the ratios the performance targets are stated in, and each process's peak memory.
/// </summary>
/// <remarks>
/// The runs go in rounds, each case once a round: a slower spell of a shared machine then falls on every case alike
/// rather than on the one case that happened to be running.
/// </remarks>
internal static class ThroughputBenchmark
{
    private const string TimeCommand = "/usr/bin/time";
    internal const string Python = "/usr/bin/python3";
    private const string Mawk = "/usr/bin/mawk";

    // A GC heap limit small enough to keep the PowerShell engine's own heap small: how a user who needs a small footprint
    // runs pwsh (DOTNET_GCHeapHardLimit, a documented runtime setting, 96 MB).
    private const string HeapLimitVariable = "DOTNET_GCHeapHardLimit";
    private const string HeapLimit = "0x6000000";

    internal sealed record Case(string Name, string Description, Func<string, string, string[]?> Command)
    {
        public (string Name, string Value)? Environment { get; init; }
    }

    internal sealed record Measurement(double Seconds, long PeakKilobytes, string OutputDigest, long OutputLines);

    public static int Run(string[] arguments)
    {
        var runs = arguments.Length > 0 ? int.Parse(arguments[0], CultureInfo.InvariantCulture) : 3;
        long[] sizes = arguments.Length > 1 ? arguments[1..].Select(a => long.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [1_000_000, 10_000_000];
        var work = BenchData.Folder;

        var pandas = PandasVersion();
        var cases = Cases(hasPandas: pandas != null);
        Console.WriteLine($"Throughput: read, keep amount > 8000, write `id, customer, amount`; median of {runs} runs, each case in a process of its own.");
        Console.WriteLine($"{Environment.ProcessorCount} cores, {Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (double)(1L << 30))} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}; {pandas ?? "pandas not installed"}, {MawkVersion()}");
        var peaks = new Dictionary<(string, long), long>();
        var medians = new Dictionary<(string, long), double>();
        foreach (var rows in sizes)
        {
            var input = BenchData.Input(rows);
            Console.WriteLine();
            Console.WriteLine($"### {rows:N0} rows ({new FileInfo(input).Length / 1e6:N0} MB)");
            Console.WriteLine();
            Console.WriteLine("| case | median time | rows/s | × pandas | × engine floor | × CsvHelper loop | peak memory | output |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|");
            string OutputOf(Case @case) => Path.Combine(work, "out-" + @case.Name);
            var runnable = cases.Where(@case => @case.Command(input, OutputOf(@case)) != null).ToArray();
            var measurements = runnable.ToDictionary(@case => @case.Name, _ => new List<Measurement>());
            for (var round = 0; round < runs; round++)
            {
                foreach (var @case in runnable)
                {
                    if (Measure(@case, input, OutputOf(@case)) is { } measurement) measurements[@case.Name].Add(measurement);
                }
            }
            var results = new Dictionary<string, Measurement>();
            foreach (var @case in runnable)
            {
                var measured = measurements[@case.Name];
                if (measured.Count == 0) continue;
                results[@case.Name] = new Measurement(
                    Median(measured.Select(m => m.Seconds)), measured.Max(m => m.PeakKilobytes), measured[^1].OutputDigest, measured[^1].OutputLines);
                medians[(@case.Name, rows)] = results[@case.Name].Seconds;
                peaks[(@case.Name, rows)] = results[@case.Name].PeakKilobytes;
            }
            var reference = results.GetValueOrDefault("csvhelper-loop")?.OutputDigest;
            foreach (var @case in cases.Where(c => results.ContainsKey(c.Name)))
            {
                var m = results[@case.Name];
                string Ratio(string other) => results.TryGetValue(other, out var o) ? (m.Seconds / o.Seconds).ToString("0.00", CultureInfo.InvariantCulture) : "–";
                var output = @case.Name is "pandas" or "floor" or "csvhelper-fields" or "sylvan-fields" ? $"{m.OutputLines:N0} lines" : m.OutputDigest == reference ? $"{m.OutputLines:N0} lines, same bytes" : $"{m.OutputLines:N0} lines, DIFFERENT bytes";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {@case.Description} | {m.Seconds:0.00} s | {rows / m.Seconds / 1e6:0.00} M | {Ratio("pandas")} | {Ratio("floor")} | {Ratio("csvhelper-loop")} | {m.PeakKilobytes / 1024.0:N0} MB | {output} |"));
            }
        }
        Console.WriteLine();
        ReportTargets(sizes, medians, peaks);
        return 0;
    }

    private static Case[] Cases(bool hasPandas)
    {
        var self = SelfCommand();
        string[] InProcess(string name, string input, string output) => [.. self, "case", name, input, output];
        var pandasScript = Path.Combine(ModuleRunspace.RepoRoot, "bench", "pandas_job.py");
        return
        [
            new("pandas", "pandas: read_csv whole file, filter, write", (input, output) => hasPandas ? [Python, pandasScript, input, output] : null),
            new("mawk", "mawk one-liner", (input, output) => File.Exists(Mawk) ? ["/bin/sh", "-c", "mkdir -p \"$2\" && exec " + Mawk + " -F, 'NR > 1 && $3 + 0 > 8000 { print $1 \", \" $2 \", \" $3 }' \"$1\" > \"$2/part-0-00000\"", "sh", input, output] : null),
            new("csvhelper-loop", "plain C# loop, CsvHelper's low-level parser", (input, output) => InProcess("csvhelper-loop", input, output)),
            new("csvhelper-fields", "CsvHelper with the reader's settings, every field, nothing typed", (input, output) => InProcess("csvhelper-fields", input, output)),
            new("sylvan-fields", "Sylvan.Data.Csv 1.4.4, every field, nothing typed", (input, output) => InProcess("sylvan-fields", input, output)),
            new("core", "AnomalyTools.Core alone: reader → rules → sink", (input, output) => InProcess("core", input, output)),
            new("floor", "engine floor: 3 cmdlets, pre-built transactions", (input, output) => InProcess("floor", input, output)),
            new("pipeline", "Import- \\| Select- \\| Export-", (input, output) => InProcess("pipeline", input, output)),
            new("pipeline-readcount", $"same, Import-Transaction -ReadCount {ThroughputCases.ReadCount}", (input, output) => InProcess("pipeline-readcount", input, output)),
            new("pipeline-heap-limit", $"same as the pipeline, {HeapLimitVariable}={HeapLimit} (96 MB)", (input, output) => InProcess("pipeline", input, output))
            {
                Environment = (HeapLimitVariable, HeapLimit),
            },
        ];
    }

    internal static Measurement? Measure(Case @case, string input, string output)
    {
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        var command = @case.Command(input, output)!;
        var timing = Path.GetTempFileName();
        var useTime = File.Exists(TimeCommand);
        var start = new ProcessStartInfo(useTime ? TimeCommand : command[0]) { RedirectStandardError = true };
        if (@case.Environment is var (name, value)) start.Environment[name] = value;
        if (useTime) foreach (var argument in new[] { "-f", "%M", "-o", timing }.Concat(command)) start.ArgumentList.Add(argument);
        else foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"{@case.Name} failed ({process.ExitCode}): {stderr.Trim()}");
            return null;
        }
        long peak = 0;
        if (useTime)
        {
            peak = long.Parse(File.ReadAllText(timing).Trim(), CultureInfo.InvariantCulture);
        }
        File.Delete(timing);
        var (digest, lines) = Digest(output);
        return new Measurement(seconds, peak, digest, lines);
    }

    // The committed output's bytes, parts in name order; in-progress files are not output.
    private static (string Digest, long Lines) Digest(string folder)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long lines = 0;
        foreach (var part in Directory.EnumerateFiles(folder, "part-*").Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(part);
            hash.AppendData(bytes);
            lines += bytes.AsSpan().Count((byte)'\n');
        }
        return (Convert.ToHexString(hash.GetHashAndReset()), lines);
    }

    private static void ReportTargets(long[] sizes, Dictionary<(string, long), double> medians, Dictionary<(string, long), long> peaks)
    {
        var large = sizes.Max();
        var small = sizes.Min();
        double? Time(string name, long rows) => medians.TryGetValue((name, rows), out var s) ? s : null;
        string Check(string target, double? value, double limit, string unit = "×")
        {
            if (value is null) return $"| {target} | not measured | |";
            return string.Create(CultureInfo.InvariantCulture, $"| {target} | {value:0.00}{unit} | {(value <= limit ? "met" : "NOT MET")} |");
        }
        Console.WriteLine($"### Targets, at {large:N0} rows");
        Console.WriteLine();
        Console.WriteLine("| target | measured | |");
        Console.WriteLine("|---|---:|---|");
        Console.WriteLine(Check("pipeline ≤ 0.7 × pandas", Time("pipeline", large) / Time("pandas", large), 0.7));
        Console.WriteLine(Check("pipeline ≤ 1.3 × engine floor", Time("pipeline", large) / Time("floor", large), 1.3));
        if (small != large && peaks.TryGetValue(("pipeline", small), out var smallPeak) && peaks.TryGetValue(("pipeline", large), out var largePeak))
        {
            Console.WriteLine(Check($"pipeline peak memory, {large:N0} rows minus {small:N0} rows < 20 MB", (largePeak - smallPeak) / 1024.0, 20, " MB"));
        }
        if (peaks.TryGetValue(("pipeline", large), out var peak)) Console.WriteLine(Check("pipeline peak memory < 150 MB", peak / 1024.0, 150, " MB"));
        if (peaks.TryGetValue(("pipeline-heap-limit", large), out var limitedPeak))
        {
            Console.WriteLine(Check($"the same, {HeapLimitVariable}={HeapLimit}", limitedPeak / 1024.0, 150, " MB"));
        }
        Console.WriteLine(Check($"pipeline -ReadCount {ThroughputCases.ReadCount} ≤ 1.5 × CsvHelper loop", Time("pipeline-readcount", large) / Time("csvhelper-loop", large), 1.5));
        var core = Time("core", large);
        Console.WriteLine(core is null ? "| Core alone ≥ 5 M rows/s | not measured | |" : string.Create(CultureInfo.InvariantCulture,
            $"| Core alone ≥ 5 M rows/s | {large / core / 1e6:0.00} M rows/s | {(large / core >= 5e6 ? "met" : "NOT MET")} |"));
    }

    internal static string[] SelfCommand()
    {
        var host = Environment.ProcessPath!;
        var assembly = typeof(ThroughputBenchmark).Assembly.Location;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, assembly] : [host];
    }

    // "pandas 1.5.3, Python 3.11.2", or null when Debian's python3-pandas is not installed.
    internal static string? PandasVersion()
    {
        if (!File.Exists(Python)) return null;
        var (exitCode, output) = Capture(Python, "-c", "import pandas, sys; print('pandas ' + pandas.__version__ + ', Python ' + sys.version.split()[0])");
        return exitCode == 0 ? output : null;
    }

    private static string MawkVersion() =>
        File.Exists(Mawk) ? Capture(Mawk, "-W", "version").Output.Split('\n')[0].Trim() : "mawk not installed";

    private static (int ExitCode, string Output) Capture(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Trim());
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
