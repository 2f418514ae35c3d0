using System.Globalization;
using System.Text;

//   dotnet run --project bench/AnomalyTools.Bench -c Release -- generate <path> <rows> [seed] [one in N suspicious]
//   dotnet run --project bench/AnomalyTools.Bench -c Release -- latency [seconds] [rate ...]
//   dotnet run --project bench/AnomalyTools.Bench -c Release -- throughput [runs] [rows ...]
//   dotnet run --project bench/AnomalyTools.Bench -c Release -- shell [pairs] [rows ...]
//   dotnet run --project bench/AnomalyTools.Bench -c Release -- follow [runs] [rows] [rate]
//   dotnet run --project bench/AnomalyTools.Bench -c Release -- chaining [runs] [rows]
const string Usage = "usage: AnomalyTools.Bench generate <path> <rows> [seed] [one in N suspicious]\n       AnomalyTools.Bench latency [seconds] [rate ...]\n" +
    "       AnomalyTools.Bench throughput [runs] [rows ...]\n       AnomalyTools.Bench shell [pairs] [rows ...]\n" +
    "       AnomalyTools.Bench follow [runs] [rows] [rate]\n       AnomalyTools.Bench chaining [runs] [rows]\n       AnomalyTools.Bench case <name> <input.csv> <output folder>";
switch (args.FirstOrDefault())
{
    case "generate" when args.Length >= 3 && long.TryParse(args[2], out var rows) && rows >= 0:
        TransactionGenerator.Write(
            args[1], rows, args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : TransactionGenerator.DefaultSeed,
            args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : TransactionGenerator.DefaultSuspiciousOneIn);
        return 0;
    case "latency":
        return LatencyBenchmark.Run(args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray());
    case "throughput":
        return ThroughputBenchmark.Run(args[1..]);
    case "shell":
        return ShellBenchmark.Run(args[1..]);
    case "follow":
        return FollowBenchmark.Run(args[1..]);
    case "chaining":
        return ChainingBenchmark.Run(args[1..]);
    case "case" when args.Length == 4:
        return ThroughputCases.Run(args[1], args[2], args[3]);
    default:
        Console.Error.WriteLine(Usage);
        return 64;
}

// Writes a transactions CSV with the schema of data/data.csv: the same seed and row count give the same bytes.
internal static class TransactionGenerator
{
    public const int DefaultSeed = 20240301;

    // One row in a thousand above the threshold, as in data/data.csv's kind of data; one in five is the busy data set,
    // where a fifth of the rows cross the second cmdlet boundary and reach the sink.
    public const int DefaultSuspiciousOneIn = 1000;
    public const int BusySuspiciousOneIn = 5;

    private static readonly (string Merchant, string Category, double TypicalAmount)[] s_merchants =
    [
        ("Amazon", "online_retail", 80), ("Walmart", "groceries", 60), ("Shell", "fuel", 55), ("Apple Store", "electronics", 900),
        ("Delta Air Lines", "travel", 650), ("Starbucks", "restaurants", 9), ("Best Buy", "electronics", 400), ("Marriott", "travel", 320),
        ("Costco", "groceries", 150), ("Uber", "transport", 25), ("Netflix", "subscriptions", 15), ("Target", "retail", 70),
        ("\"Home Depot, Inc.\"", "home_improvement", 120), ("Whole Foods", "groceries", 75), ("Expedia", "travel", 800),
    ];

    public static void Write(string path, long rows, int seed, int suspiciousOneIn = DefaultSuspiciousOneIn)
    {
        var suspiciousShare = 1.0 / suspiciousOneIn;
        var random = new Random(seed);
        var start = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var customers = (int)Math.Clamp(rows / 50, 15, 1_000_000);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        writer.WriteLine("transaction_id,customer_id,amount,timestamp,merchant,category");
        var line = new StringBuilder(96);
        for (long i = 0; i < rows; i++)
        {
            var (merchant, category, typical) = s_merchants[random.Next(s_merchants.Length)];
            // Log-normal amounts around the merchant's typical one; about one in suspiciousOneIn is a large outlier.
            var amount = random.NextDouble() < suspiciousShare
                ? 8000 + random.NextDouble() * 2000
                : Math.Min(7999.99, typical * Math.Exp(NextGaussian(random) * 0.6));
            line.Clear()
                .Append(1000 + i).Append(",C").Append((random.Next(customers) + 1).ToString("D6", CultureInfo.InvariantCulture)).Append(',')
                .Append(Math.Round((decimal)amount, 2).ToString("F2", CultureInfo.InvariantCulture)).Append(',')
                .Append(start.AddSeconds(i * 3 + random.Next(3)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',')
                .Append(merchant).Append(',').Append(category);
            writer.WriteLine(line);
        }
    }

    private static double NextGaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
