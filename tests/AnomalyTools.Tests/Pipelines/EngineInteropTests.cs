using System.Text;
using Xunit;

namespace AnomalyTools.Tests.Pipelines;

/// <summary>The module beside the full engine's own cmdlets (Microsoft.PowerShell.SDK), as pwsh users combine them.</summary>
[Collection(ReadAheadThreads.Collection)]
public class EngineInteropTests : IClassFixture<PowerShellFixture>, IDisposable
{
    private static readonly string s_data = Path.Combine(TestEnvironment.RepoRoot, "data", "data.csv");
    private readonly PowerShellSession _shell;
    private readonly TempDirectory _temp = new();

    public EngineInteropTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
    }

    [Fact]
    public void Import_Csv_rows_are_judged_as_Import_Transaction_rows_are()
    {
        var result = _shell.Run("Import-Csv $data | Select-SuspiciousTransaction", new { data = s_data }, expectFailure: true);

        Assert.Equal(["1002", "1005", "1009", "1011", "1018", "1031", "1036", "1041", "1042"], result.Objects<Transaction>().Select(t => t.TransactionId));
    }

    [Fact]
    public void ConvertFrom_Json_objects_are_judged_with_exact_decimals()
    {
        var result = _shell.Run(
            "'[{\"transaction_id\":\"1\",\"customer_id\":\"C1\",\"amount\":8000.01},{\"transaction_id\":\"2\",\"customer_id\":\"C1\",\"amount\":8000}]' | " +
            "ConvertFrom-Json | Select-SuspiciousTransaction");

        var flagged = Assert.Single(result.Objects<Transaction>());
        Assert.Equal(("1", 8000.01m), (flagged.TransactionId, flagged.Amount));
    }

    [Fact]
    public void Select_Object_First_stops_Import_Transaction_its_file_is_released_at_once_and_its_reading_thread_ends()
    {
        var big = _temp.File("big.csv", "transaction_id,customer_id,amount\n" +
            string.Concat(Enumerable.Range(1, 200_000).Select(i => $"{i},C{i % 50},{i % 10_000}.00\n")));

        var result = _shell.Run("Import-Transaction $big | Select-Object -First 3", new { big });

        Assert.Equal(["1", "2", "3"], result.Objects<Transaction>().Select(t => t.TransactionId));
        // Shared for reading it would still be locked by an open reader: an exclusive open proves it closed.
        using (new FileStream(big, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
        }
        File.Delete(big);
        Eventually.Until(() => ReadAheadThreads.Count() == 0, "the read-ahead thread to end");
    }

    [Fact]
    public void Sort_Object_and_Group_Object_work_on_the_typed_properties()
    {
        var result = _shell.Run(
            "$all = Import-Transaction $data -ErrorAction SilentlyContinue; " +
            "($all | Select-SuspiciousTransaction | Sort-Object Amount -Descending | Select-Object -First 2).TransactionId; " +
            "$all | Group-Object CustomerId | Sort-Object Count, Name -Descending | Select-Object -First 1 | ForEach-Object { \"$($_.Name) $($_.Count)\" }",
            new { data = s_data });

        var lines = result.Output.Select(o => o.ToString()).ToArray();
        Assert.Equal(["1041", "1005"], lines[..2]);
        Assert.Matches(@"^C\d{3} \d+$", lines[2]);
    }

    [Fact]
    public void Export_Csv_writes_the_flagged_transactions_with_their_columns()
    {
        var csv = _temp.Combine("flagged.csv");

        _shell.Run(
            "Import-Transaction $data -ErrorAction SilentlyContinue | Select-SuspiciousTransaction | " +
            "Select-Object TransactionId, CustomerId, Amount | Export-Csv -LiteralPath $csv -NoTypeInformation -UseQuotes Never",
            new { data = s_data, csv });

        var lines = File.ReadAllLines(csv);
        Assert.Equal("TransactionId,CustomerId,Amount", lines[0]);
        Assert.Equal("1002,C012,9582.15", lines[1]);
        Assert.Equal(10, lines.Length);
    }

    [Theory]
    [InlineData("Format-Table", @"1002\s+C012\s+9582\.15")]
    [InlineData("Format-List", @"TransactionId\s*:\s*1002")]
    [InlineData("Format-Wide TransactionId", @"1002")]
    public void Format_views_render_the_transactions(string format, string expected)
    {
        var result = _shell.Run(
            $"Import-Transaction $data -ErrorAction SilentlyContinue | Select-SuspiciousTransaction | {format} | Out-String -Width 200",
            new { data = s_data });

        Assert.Matches(expected, string.Concat(result.Output.Select(o => o.ToString())));
    }

    public void Dispose() => _temp.Dispose();
}

/// <summary>The reader's threads in this process; tests that count them run apart from the others.</summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class ReadAheadThreads
{
    public const string Collection = "Read-ahead threads";

    // Linux keeps the first 15 characters of a thread's name.
    public static int Count() =>
        Directory.GetDirectories("/proc/self/task").Count(task =>
            File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == "AnomalyTools read-ahead"[..15]);
}
