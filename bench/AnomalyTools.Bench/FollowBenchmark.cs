using System.Diagnostics;
using System.Globalization;
using System.Text;

/// <summary>
/// Follow mode in a fresh process, as a service restarted with a feed to follow starts it: the Shell follows a feed
/// that a writer appends to at a steady rate from the first row on, and for each suspicious row the time from the
/// write that completed its line to the object leaving Select-SuspiciousTransaction, first rows included (nothing is
/// discarded as warm-up). Then the CPU the follower's pipeline took, against a fresh Shell importing the same rows from
/// the finished file with the same pipeline.
/// </summary>
internal static class FollowBenchmark
{
    private const int SuspiciousEvery = 10;
    private const double LateMilliseconds = 50;

    // The pipeline's own CPU, measured inside the process around it: start-up and the module's import are not in it.
    // Each object leaving Select-SuspiciousTransaction prints its id and the monotonic clock, which the benchmark's
    // Stopwatch reads too; Select-Object ends the follower once the last suspicious row is through.
    private const string Prologue = """
        $process = [System.Diagnostics.Process]::GetCurrentProcess()
        [Console]::Out.WriteLine('ready')
        $before = $process.TotalProcessorTime

        """;

    public static int Run(string[] arguments)
    {
        var runs = arguments.Length > 0 ? int.Parse(arguments[0], CultureInfo.InvariantCulture) : 3;
        var rows = arguments.Length > 1 ? int.Parse(arguments[1], CultureInfo.InvariantCulture) : 100_000;
        var rate = arguments.Length > 2 ? int.Parse(arguments[2], CultureInfo.InvariantCulture) : 20_000;
        var shell = ModuleRunspace.ShellPath;
        Console.WriteLine($"Follow mode in a fresh Shell process: {rows:N0} rows at {rate:N0} rows/s, one in {SuspiciousEvery} suspicious, {runs} runs; {Environment.ProcessorCount} cores, .NET {Environment.Version}. No warm-up: the first rows are counted.");
        Console.WriteLine();
        Console.WriteLine($"| run | to the pipeline: median / p99 / max | rows later than {LateMilliseconds:0} ms (the last one's time after the first row) | CPU following | CPU importing the finished file | × |");
        Console.WriteLine("|---:|---|---|---:|---:|---:|");
        var ratios = new List<double>();
        var p99s = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var directory = Directory.CreateTempSubdirectory("anomalytools-follow-").FullName;
            try
            {
                var feed = Path.Combine(directory, "feed.csv");
                var (latencies, lastLate, late, followCpu) = Follow(shell, feed, rows, rate);
                var importCpu = Import(shell, feed, rows);
                var sorted = latencies.Order().ToArray();
                double Percentile(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
                ratios.Add(followCpu / importCpu);
                p99s.Add(Percentile(0.99));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {run} | {Percentile(0.5):0.0} / {Percentile(0.99):0.0} / {sorted[^1]:0.0} ms | {late} ({lastLate:0.00} s) | {followCpu:0.00} s | {importCpu:0.00} s | {followCpu / importCpu:0.00} |"));
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Median p99: {ShellBenchmark.Median(p99s):0.0} ms; median CPU following / importing: {ShellBenchmark.Median(ratios):0.00} ×."));
        return 0;
    }

    private static (List<double> Latencies, double LastLateSeconds, int Late, double Cpu) Follow(string shell, string feed, int rows, int rate)
    {
        File.WriteAllText(feed, "transaction_id,customer_id,amount\n");
        var suspicious = rows / SuspiciousEvery;
        var written = new long[rows + 1];
        var seen = new long[rows + 1];
        double cpu = 0;
        using var process = Start(shell, feed, wait: true, suspicious);
        var ready = new ManualResetEventSlim();
        var reader = new Thread(() =>
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (line == "ready") ready.Set();
                else if (line.StartsWith("cpu ", StringComparison.Ordinal)) cpu = double.Parse(line[4..], CultureInfo.InvariantCulture);
                else if (line.Split(' ') is [var id, var timestamp]) seen[int.Parse(id, CultureInfo.InvariantCulture)] = long.Parse(timestamp, CultureInfo.InvariantCulture);
            }
        }) { IsBackground = true };
        reader.Start();
        if (!ready.Wait(TimeSpan.FromSeconds(120))) throw new TimeoutException("The Shell did not start.");

        using (var writer = new FileStream(feed, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1))
        {
            var started = Stopwatch.StartNew();
            var next = 1;
            while (next <= rows)
            {
                var due = Math.Min(rows, 1 + (int)(started.Elapsed.TotalSeconds * rate));
                if (due < next)
                {
                    Thread.Sleep(1);
                    continue;
                }
                var text = new StringBuilder((due - next + 1) * 24);
                for (var id = next; id <= due; id++) text.Append(id).Append(",C").Append(id % 1000).Append(id % SuspiciousEvery == 0 ? ",9000.00\n" : ",100.00\n");
                var bytes = Encoding.UTF8.GetBytes(text.ToString());
                writer.Write(bytes, 0, bytes.Length);
                var now = Stopwatch.GetTimestamp();
                for (var id = next; id <= due; id++) written[id] = now;
                next = due + 1;
            }
        }
        if (!process.WaitForExit(TimeSpan.FromSeconds(300))) throw new TimeoutException("The follower did not see every row.");
        reader.Join();
        if (process.ExitCode != 0) throw new InvalidOperationException($"The follower failed ({process.ExitCode}): {process.StandardError.ReadToEnd()}");

        var latencies = new List<double>(suspicious);
        var late = 0;
        double lastLate = 0;
        for (var id = SuspiciousEvery; id <= rows; id += SuspiciousEvery)
        {
            var milliseconds = (seen[id] - written[id]) * 1000.0 / Stopwatch.Frequency;
            latencies.Add(milliseconds);
            if (milliseconds <= LateMilliseconds) continue;
            late++;
            lastLate = (written[id] - written[1]) / (double)Stopwatch.Frequency;
        }
        return (latencies, lastLate, late, cpu);
    }

    private static double Import(string shell, string file, int rows)
    {
        using var process = Start(shell, file, wait: false, rows / SuspiciousEvery);
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"The import failed ({process.ExitCode}): {process.StandardError.ReadToEnd()}");
        var cpu = output.Split('\n').Single(line => line.StartsWith("cpu ", StringComparison.Ordinal));
        return double.Parse(cpu[4..], CultureInfo.InvariantCulture);
    }

    private static Process Start(string shell, string feed, bool wait, int suspicious)
    {
        var start = new ProcessStartInfo(shell) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ANOMALYTOOLS_BENCH_FEED"] = feed;
        foreach (var argument in new[] { "-NoProfile", "-Command", Prologue + Pipeline(wait, suspicious) }) start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }

    private static string Pipeline(bool wait, int suspicious) => $$"""
        Import-Transaction -LiteralPath $env:ANOMALYTOOLS_BENCH_FEED{{(wait ? " -Wait" : "")}} | Select-SuspiciousTransaction |
            ForEach-Object { [Console]::Out.WriteLine($_.TransactionId + ' ' + [System.Diagnostics.Stopwatch]::GetTimestamp()); $_ } |
            Select-Object -First {{suspicious}} | Out-Null
        $process.Refresh()
        [Console]::Out.WriteLine('cpu ' + ($process.TotalProcessorTime - $before).TotalSeconds.ToString([cultureinfo]::InvariantCulture))
        """;
}
