/// <summary>The generated input files, made once into <c>$TMPDIR/anomalytools-bench/</c> and reused.</summary>
internal static class BenchData
{
    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "anomalytools-bench");

    // transactions-1000000.csv (one row in a thousand suspicious) or transactions-1000000-1in5.csv.
    public static string Input(long rows, int suspiciousOneIn = TransactionGenerator.DefaultSuspiciousOneIn)
    {
        Directory.CreateDirectory(Folder);
        var suffix = suspiciousOneIn == TransactionGenerator.DefaultSuspiciousOneIn ? "" : $"-1in{suspiciousOneIn}";
        var input = Path.Combine(Folder, $"transactions-{rows}{suffix}.csv");
        if (!File.Exists(input))
        {
            Console.WriteLine($"generating {input} ...");
            TransactionGenerator.Write(input + ".tmp", rows, TransactionGenerator.DefaultSeed, suspiciousOneIn);
            File.Move(input + ".tmp", input);
        }
        return input;
    }
}
