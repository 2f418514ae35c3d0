using System.Diagnostics;
using System.Globalization;

/// <summary>
/// Whole processes, as a script or a service starts them: the Shell against official pwsh with nothing to do, and the
/// whole job through the Shell against pandas, on the bundled sample and on 1 M and 10 M generated rows with one row
/// in a thousand and one in five suspicious. Each comparison runs in interleaved pairs (A B A B ...), so that a slower
/// spell of a shared machine falls on both; the ratio is the median of the pairs' ratios.
/// </summary>
internal static class ShellBenchmark
{
    private const string Python = "/usr/bin/python3";
    // The paths come in the environment: -Command takes every argument after it as part of the command.
    private const string JobScript =
        "Import-Transaction -LiteralPath $env:ANOMALYTOOLS_BENCH_INPUT | Select-SuspiciousTransaction | Export-SuspiciousTransaction $env:ANOMALYTOOLS_BENCH_OUTPUT";

    private sealed record Timing(double Seconds, long OutputLines);

    public static int Run(string[] arguments)
    {
        var pairs = arguments.Length > 0 ? int.Parse(arguments[0], CultureInfo.InvariantCulture) : 5;
        long[] sizes = arguments.Length > 1 ? arguments[1..].Select(a => long.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [1_000_000, 10_000_000];
        var shell = ModuleRunspace.ShellPath;
        if (!File.Exists(shell))
        {
            Console.Error.WriteLine($"The Shell is not built: {shell}");
            return 1;
        }
        var hasPandas = File.Exists(Python) && Execute([Python, "-c", "import pandas"], null) is not null;
        var work = Directory.CreateTempSubdirectory("anomalytools-shell-bench-").FullName;
        Console.WriteLine($"Whole processes in {pairs} interleaved pairs; {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; every run counted, none discarded as warm-up.");
        Console.WriteLine();
        Console.WriteLine("| case | A | B | median A | median B | A − B (median of pairs) | A / B (median of pairs) |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|");
        Compare("start with nothing to do", "the Shell -Command 1", [shell, "-NoProfile", "-Command", "1"],
            "official pwsh (`dotnet pwsh`) -Command 1", ["dotnet", "pwsh", "-NoProfile", "-Command", "1"], pairs);
        var sample = Path.Combine(ModuleRunspace.RepoRoot, "data", "data.csv");
        // The sample's two rows without a required value are errors that the Shell reports (exit code 1) and goes on.
        CompareJob("the job on data/data.csv (50 rows)", sample, shell, hasPandas, work, pairs, rowErrorsExpected: true);
        foreach (var oneIn in new[] { TransactionGenerator.BusySuspiciousOneIn, TransactionGenerator.DefaultSuspiciousOneIn })
        {
            foreach (var rows in sizes)
            {
                CompareJob($"the job on {rows:N0} rows, one in {oneIn} suspicious", BenchData.Input(rows, oneIn), shell, hasPandas, work, pairs);
            }
        }
        Directory.Delete(work, recursive: true);
        return 0;
    }

    private static void CompareJob(string name, string input, string shell, bool hasPandas, string work, int pairs, bool rowErrorsExpected = false)
    {
        var shellOutput = Path.Combine(work, "shell");
        var pandasOutput = Path.Combine(work, "pandas");
        string[] shellJob = ["/usr/bin/env", $"ANOMALYTOOLS_BENCH_INPUT={input}", $"ANOMALYTOOLS_BENCH_OUTPUT={shellOutput}", shell, "-NoProfile", "-Command", JobScript];
        if (!hasPandas)
        {
            Compare(name, "the Shell", shellJob, "pandas (not installed)", null, pairs, shellOutput, rowErrorsExpected: rowErrorsExpected);
            return;
        }
        Compare(name, "the Shell", shellJob, "pandas", [Python, Path.Combine(ModuleRunspace.RepoRoot, "bench", "pandas_job.py"), input, pandasOutput], pairs,
            shellOutput, pandasOutput, rowErrorsExpected);
    }

    private static void Compare(
        string name, string aName, string[] a, string bName, string[]? b, int pairs, string? aOutput = null, string? bOutput = null, bool rowErrorsExpected = false)
    {
        var aRuns = new List<Timing>();
        var bRuns = new List<Timing>();
        for (var pair = 0; pair < pairs; pair++)
        {
            if (Execute(a, aOutput, rowErrorsExpected) is { } aRun) aRuns.Add(aRun);
            if (b is not null && Execute(b, bOutput, rowErrorsExpected: false) is { } bRun) bRuns.Add(bRun);
        }
        if (aRuns.Count == 0) return;
        var lines = aOutput is null ? "" : $" ({aRuns[^1].OutputLines:N0} lines written{(bRuns.Count > 0 && bRuns[^1].OutputLines != aRuns[^1].OutputLines ? $", B {bRuns[^1].OutputLines:N0}" : "")})";
        var paired = Math.Min(aRuns.Count, bRuns.Count);
        string Difference() => paired == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{Median(Enumerable.Range(0, paired).Select(i => aRuns[i].Seconds - bRuns[i].Seconds)):0.00} s");
        string Ratio() => paired == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{Median(Enumerable.Range(0, paired).Select(i => aRuns[i].Seconds / bRuns[i].Seconds)):0.00}");
        string MedianOf(List<Timing> runs) => runs.Count == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{Median(runs.Select(r => r.Seconds)):0.00} s");
        Console.WriteLine($"| {name}{lines} | {aName} | {bName} | {MedianOf(aRuns)} | {MedianOf(bRuns)} | {Difference()} | {Ratio()} |");
    }

    // Runs one process from the repository's root (where `dotnet pwsh` finds the tool manifest); null when it failed.
    private static Timing? Execute(string[] command, string? output, bool rowErrorsExpected = false)
    {
        if (output is not null && Directory.Exists(output)) Directory.Delete(output, recursive: true);
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = ModuleRunspace.RepoRoot,
        };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0 && !(rowErrorsExpected && process.ExitCode == 1))
        {
            Console.Error.WriteLine($"{string.Join(' ', command)} failed ({process.ExitCode}): {stderr.Result.Trim()}");
            return null;
        }
        long lines = 0;
        if (output is not null)
        {
            foreach (var part in Directory.EnumerateFiles(output, "part-*")) lines += File.ReadAllBytes(part).AsSpan().Count((byte)'\n');
        }
        return new Timing(seconds, lines);
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
