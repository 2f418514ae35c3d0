using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AnomalyTools.Rules;
using AnomalyTools.Sinks.PartFiles;
using AnomalyTools.Sources.Csv;
using Xunit;

namespace AnomalyTools.Tests.Core;

/// <summary>
/// Thousands of randomly mutated CSV files through the whole Core pipeline (reader, rules, sink): nothing throws or
/// hangs, every emitted transaction and every written line is valid, and every good row that survives the mutation
/// as a record of its own comes out as it went in.
/// </summary>
public class FuzzTests : IDisposable
{
    private const int Files = 4000;
    private const string Header = "transaction_id,customer_id,amount,timestamp,merchant\n";
    private static readonly Regex s_textLine = new(@"^[^\n]+, [^\n]+, -?\d+(\.\d+)?$", RegexOptions.CultureInvariant);

    // On tmpfs where there is one: the sink syncs every part to disk, which would make thousands of runs slow, not different.
    private readonly TempDirectory _temp = Directory.Exists("/dev/shm") ? new TempDirectory("/dev/shm") : new TempDirectory();

    private static readonly string[] s_rows = Enumerable.Range(1, 40).Select(Row).ToArray();

    private int _survivingRowsChecked;

    private static string Row(int i)
    {
        var amount = (i % 3 == 0 ? 8000.5m + i : 10m + i).ToString(CultureInfo.InvariantCulture);
        var merchant = i % 5 == 0 ? "\"Shop, \"\"Big\"\"\nBranch\"" : "Shop " + i;
        return $"{1000 + i},C{i % 7},{amount},2024-03-01T08:{i % 60:D2}:00Z,{merchant}\n";
    }

    [Fact]
    public async Task Mutated_files_never_break_the_pipeline_and_every_surviving_good_row_comes_through()
    {
        var random = new Random(7);
        var original = Encoding.UTF8.GetBytes(Header + string.Concat(s_rows));
        var run = Task.Run(() =>
        {
            for (var file = 0; file < Files; file++)
            {
                var mutated = Mutate(original, random);
                Check(mutated, file, parseAhead: file % 2 == 1);
            }
        });
        // A guard against a hang, far above the time the runs take.
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(10)));
        Assert.True(finished == run, "the fuzz runs did not finish: something hangs");
        await run;
        // Most rows survive a few mutations: the accounting check must have had plenty to check.
        Assert.True(_survivingRowsChecked > Files * 10, $"only {_survivingRowsChecked} surviving rows were checked");
    }

    private void Check(byte[] input, int file, bool parseAhead)
    {
        var output = _temp.Combine("out-" + file.ToString(CultureInfo.InvariantCulture));
        var options = new TransactionCsvOptions { ParseAhead = parseAhead, MaxRecordSize = 2048 };
        var detector = new SuspicionDetector([new ThresholdRule()]);
        var transactions = new List<Transaction>();
        var flagged = 0;
        using (var reader = new TransactionCsvReader(new MemoryStream(input), "fuzz.csv", options))
        using (var sink = new PartFileSink(new PartFileSinkOptions(output) { MaxPartSize = 512 }))
        {
            foreach (var result in reader.ReadAll())
            {
                if (result.Error != null)
                {
                    Assert.False(string.IsNullOrEmpty(result.Error.Message));
                    continue;
                }
                var transaction = result.Transaction!;
                Assert.False(string.IsNullOrWhiteSpace(transaction.TransactionId));
                Assert.False(string.IsNullOrWhiteSpace(transaction.CustomerId));
                Assert.InRange(transaction.LineNumber, 2, input.Count(b => b == '\n') + 2);
                transactions.Add(transaction);
                var inspection = detector.Inspect(transaction);
                if (inspection.Flagged is null) continue;
                Assert.True(inspection.Flagged.Amount > ThresholdRule.DefaultThreshold);
                sink.Write(inspection.Flagged);
                flagged++;
            }
            sink.Close();
        }

        var lines = OutputFolderContent.CommittedLines(output);
        Assert.Equal(flagged, lines.Length);
        Assert.All(lines, line => Assert.Matches(s_textLine, line));
        Directory.Delete(output, recursive: true);

        foreach (var (line, row) in SurvivingRows(input))
        {
            var fields = row.TrimEnd('\n').Split(',');
            var transaction = transactions.SingleOrDefault(t => t.LineNumber == line);
            Assert.True(transaction != null, $"file {file}: the intact row at line {line} did not come through:\n{Encoding.UTF8.GetString(input)}");
            Assert.Equal((fields[0], fields[1], decimal.Parse(fields[2], CultureInfo.InvariantCulture)), (transaction!.TransactionId, transaction.CustomerId, transaction.Amount));
            _survivingRowsChecked++;
        }
    }

    // The original one-line rows that are still whole records of their own: a record starts right where the row starts
    // and ends right after it, in the mutated file as CSV reads it; and the header is still the header.
    private static IEnumerable<(long Line, string Row)> SurvivingRows(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        if (!text.StartsWith(Header, StringComparison.Ordinal) || input.Contains((byte)0xFF) || input.Contains((byte)0)) yield break;
        var scanner = new RecordBoundaryScanner(',', unitWidth: 1, bigEndian: false, start: 0);
        var boundaries = new List<(int Offset, long Line)> { (0, 1) };
        var lines = 1L;
        while (scanner.Scan(input, input.Length, stopAfterFirstRecord: true))
        {
            lines += scanner.LinesToBoundary;
            scanner.Consume();
            boundaries.Add((scanner.Boundary, lines));
        }
        for (var i = 1; i + 1 < boundaries.Count; i++)
        {
            var (start, line) = boundaries[i];
            var end = boundaries[i + 1].Offset;
            var record = Encoding.UTF8.GetString(input, start, end - start);
            if (boundaries[i + 1].Line == line + 1 && s_rows.Contains(record) && !record.Contains('"')) yield return (line, record);
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        var mutations = random.Next(1, 4);
        byte[] specials = [(byte)'"', (byte)',', (byte)'\n', (byte)'\r', 0, 0xFF, (byte)' ', (byte)'e', (byte)'-', (byte)'9'];
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes.Insert(at, specials[random.Next(specials.Length)]);
                    break;
                case 1:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 40), bytes.Count - at));
                    break;
                case 2:
                    bytes[at] = specials[random.Next(specials.Length)];
                    break;
                case 3:
                    var length = Math.Min(random.Next(1, 200), bytes.Count - at);
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    bytes.InsertRange(at, Enumerable.Repeat((byte)'x', random.Next(100, 5000)));
                    break;
            }
        }
        return bytes.ToArray();
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>Mutated bytes of the seed file, for other fuzz tests.</summary>
    internal static byte[] MutatedFile(Random random) => Mutate(Encoding.UTF8.GetBytes(Header + string.Concat(s_rows)), random);
}
