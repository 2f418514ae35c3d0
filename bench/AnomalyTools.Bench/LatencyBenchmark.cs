using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;

/// <summary>
/// Real-time latency: a writer appends rows to a feed at a steady rate while the real module follows it in the
/// PowerShell 7 engine. For each suspicious row, the time from the write that completed its line to (a) the object
/// leaving Select-SuspiciousTransaction and (b) its part file being committed.
/// </summary>
internal static class LatencyBenchmark
{
    private const int SuspiciousEvery = 10;
    private static readonly TimeSpan s_rollover = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_idleMeasurement = TimeSpan.FromSeconds(10);

    public static int Run(int[] arguments)
    {
        var seconds = arguments.Length > 0 ? arguments[0] : 20;
        var rates = arguments.Length > 1 ? arguments[1..] : [1_000, 50_000];
        Console.WriteLine($"Latency of Import-Transaction -Wait | Select-SuspiciousTransaction | Export-SuspiciousTransaction -RolloverInterval {s_rollover.TotalSeconds:0}");
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {seconds} s a rate, one row in {SuspiciousEvery} suspicious, after an unreported warm-up.");
        // The JIT compiles the hot paths in tiers: the first seconds of a process are slower than the rest.
        Measure(10_000, TimeSpan.FromSeconds(3));
        Console.WriteLine();
        Console.WriteLine("| rows/s | rows followed/s | (a) to the pipeline: median / p99 / max | (b) to a committed part: median / p99 / max | process CPU¹ |");
        Console.WriteLine("|---:|---:|---|---|---:|");
        foreach (var rate in rates)
        {
            Console.WriteLine(Measure(rate, TimeSpan.FromSeconds(seconds)));
        }
        Console.WriteLine();
        Console.WriteLine("¹ of one core, for the whole process: the pipeline, the writer and the part watcher.");
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Following a quiet file for {s_idleMeasurement.TotalSeconds:0} s: {MeasureIdle():P1} of one core for the whole process."));
        return 0;
    }

    private static string Measure(int rate, TimeSpan duration)
    {
        var total = (int)(rate * duration.TotalSeconds);
        using var run = new FollowingPipeline(total + 1);
        var probe = run.Probe;

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.StartNew();
        var written = 1;
        using var committed = new CommitWatcher(run.Output, probe);
        while (written <= total)
        {
            var due = Math.Min(total, 1 + (int)(started.Elapsed.TotalSeconds * rate));
            if (due >= written)
            {
                run.Append(written, due - written + 1);
                written = due + 1;
            }
            else
            {
                Thread.Sleep(1);
            }
        }
        var lastSuspicious = total - total % SuspiciousEvery;
        WaitUntil(() => probe.SeenAt(lastSuspicious) != 0, TimeSpan.FromSeconds(120));
        var followed = started.Elapsed;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / followed.TotalSeconds;
        WaitUntil(() => probe.CommittedAt(lastSuspicious) != 0, TimeSpan.FromSeconds(30));

        var suspicious = Enumerable.Range(1, total).Where(id => id % SuspiciousEvery == 0).ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"| {rate:N0} | {total / followed.TotalSeconds:N0} | {Summary(suspicious.Select(probe.ToPipeline))} | " +
            $"{Summary(suspicious.Select(probe.ToCommit))} | {cpu:P0} |");
    }

    // The follower's own cost while nothing arrives: it waits on a timer, it does not spin.
    private static double MeasureIdle()
    {
        using var run = new FollowingPipeline(1);
        Thread.Sleep(TimeSpan.FromSeconds(2));
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        Thread.Sleep(s_idleMeasurement);
        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds / s_idleMeasurement.TotalSeconds;
    }

    private static void WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > timeout) throw new TimeoutException("The pipeline did not keep up: a row was not seen within " + timeout + ".");
            Thread.Sleep(1);
        }
    }

    private static string Summary(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        double Percentile(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"{Percentile(0.5):0.0} / {Percentile(0.99):0.0} / {sorted[^1]:0.0} ms");
    }

    /// <summary>The real module following a feed in a fresh runspace, warmed up by one row it has already seen.</summary>
    private sealed class FollowingPipeline : IDisposable
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("anomalytools-latency-").FullName;
        private readonly Runspace _runspace;
        private readonly PowerShell _powerShell;
        private readonly FileStream _writer;

        public FollowingPipeline(int rows)
        {
            var feed = Path.Combine(_directory, "feed.csv");
            Output = Path.Combine(_directory, "out");
            Probe = new LatencyProbe(rows);
            File.WriteAllText(feed, "transaction_id,customer_id,amount\n");
            _runspace = ModuleRunspace.Open();
            _runspace.SessionStateProxy.SetVariable("feed", feed);
            _runspace.SessionStateProxy.SetVariable("out", Output);
            _runspace.SessionStateProxy.SetVariable("probe", Probe);
            _powerShell = PowerShell.Create(_runspace);
            _powerShell.AddScript(
                "Import-Transaction $feed -Wait | Select-SuspiciousTransaction | ForEach-Object { $probe.Seen($_.TransactionId); $_ } | " +
                $"Export-SuspiciousTransaction $out -RolloverInterval {s_rollover.TotalSeconds} -InactivityInterval {s_rollover.TotalSeconds}");
            _powerShell.BeginInvoke();
            _writer = new FileStream(feed, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
            Append(0, 1);
            WaitUntil(() => Probe.SeenAt(0) != 0, TimeSpan.FromSeconds(60));
        }

        public string Output { get; }

        public LatencyProbe Probe { get; }

        // Rows first..first+count-1 in one write; a line is complete in the file once the write returns.
        public void Append(int first, int count)
        {
            var text = new StringBuilder(count * 24);
            for (var id = first; id < first + count; id++)
            {
                text.Append(id).Append(",C").Append(id % 1000).Append(id % SuspiciousEvery == 0 ? ",9000.00\n" : ",100.00\n");
            }
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            _writer.Write(bytes, 0, bytes.Length);
            var now = Stopwatch.GetTimestamp();
            for (var id = first; id < first + count; id++) Probe.Written(id, now);
        }

        public void Dispose()
        {
            _powerShell.Stop();
            _powerShell.Dispose();
            _runspace.Dispose();
            _writer.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}

/// <summary>When each row was written, seen leaving Select-SuspiciousTransaction, and found in a committed part.</summary>
public sealed class LatencyProbe(int rows)
{
    private readonly long[] _written = new long[rows];
    private readonly long[] _seen = new long[rows];
    private readonly long[] _committed = new long[rows];

    /// <summary>Called by the pipeline for each object that leaves Select-SuspiciousTransaction.</summary>
    public void Seen(string transactionId) => Volatile.Write(ref _seen[int.Parse(transactionId, CultureInfo.InvariantCulture)], Stopwatch.GetTimestamp());

    internal void Written(int id, long timestamp) => _written[id] = timestamp;

    internal void Committed(int id, long timestamp) => Volatile.Write(ref _committed[id], timestamp);

    internal long SeenAt(int id) => Volatile.Read(ref _seen[id]);

    internal long CommittedAt(int id) => Volatile.Read(ref _committed[id]);

    internal double ToPipeline(int id) => Milliseconds(SeenAt(id) - _written[id]);

    internal double ToCommit(int id) => Milliseconds(CommittedAt(id) - _written[id]);

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

/// <summary>Notes when each part appears in the output folder, looking every millisecond.</summary>
internal sealed class CommitWatcher : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public CommitWatcher(string directory, LatencyProbe probe)
    {
        _thread = new Thread(() =>
        {
            var known = new HashSet<string>();
            while (!_stop.IsCancellationRequested)
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var part in Directory.Exists(directory) ? Directory.GetFiles(directory, "part-*") : [])
                {
                    if (!known.Add(part)) continue;
                    foreach (var line in File.ReadLines(part))
                    {
                        probe.Committed(int.Parse(line[..line.IndexOf(',')], CultureInfo.InvariantCulture), now);
                    }
                }
                Thread.Sleep(1);
            }
        }) { IsBackground = true };
        _thread.Start();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
    }
}
