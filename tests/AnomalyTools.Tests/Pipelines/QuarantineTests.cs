using System.Text;
using Xunit;

namespace AnomalyTools.Tests.Pipelines;

/// <summary>Import-Transaction -QuarantinePath, -MaxErrors, -MaxErrorRate, and headers that name a column twice.</summary>
public class QuarantineTests : IClassFixture<PowerShellFixture>, IDisposable
{
    private const string Header = "transaction_id,customer_id,amount\n";

    private readonly PowerShellSession _shell;
    private readonly TempDirectory _temp = new();

    public QuarantineTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
    }

    private string Quarantine => _temp.Combine("quarantine.csv");

    private static string Rows(int from, int count, Func<int, bool> bad) =>
        string.Concat(Enumerable.Range(from, count).Select(i => bad(i) ? $"{i},C{i},oops\n" : $"{i},C{i},{i}.50\n"));

    [Fact]
    public void Bad_records_go_to_the_error_stream_and_the_quarantine_file_and_the_rest_goes_on()
    {
        var input = _temp.File("in.csv", Header + "1,C1,10\n2,C2,x\n3,,30\n4,C4,40,extra\n5,C5,50\n");

        var result = _shell.Run("Import-Transaction $in -QuarantinePath $q", new { @in = input, q = Quarantine });

        Assert.Equal(["1", "5"], result.Objects<Transaction>().Select(t => t.TransactionId));
        Assert.Equal(["InvalidAmount", "MissingRequiredValue", "FieldCountMismatch"], result.ErrorIds);
        Assert.StartsWith("source,line,error_id,message,record\n", File.ReadAllText(Quarantine, Encoding.UTF8));
        var rows = ReadQuarantine();
        Assert.Equal([(input, "3", "InvalidAmount"), (input, "4", "MissingRequiredValue"), (input, "5", "FieldCountMismatch")], rows.Select(r => (r[0], r[1], r[2])));
        Assert.Equal(result.Errors.Select(e => e.Exception.Message), rows.Select(r => r[3]));
        Assert.Equal(["2,C2,x", "3,,30", "4,C4,40,extra"], rows.Select(r => r[4]));
    }

    private string[][] ReadQuarantine()
    {
        using var csv = CsvHelper.CsvReader.Create(File.OpenRead(Quarantine), new CsvHelper.CsvReaderOptions { HasHeader = true, AllowLineBreaksInQuotes = true });
        csv.ReadHeader();
        var rows = new List<string[]>();
        while (csv.Read()) rows.Add(Enumerable.Range(0, 5).Select(csv.GetString).ToArray());
        return rows.ToArray();
    }

    [Fact]
    public void More_bad_records_than_MaxErrors_stop_the_import_after_passing_on_the_good_ones_before()
    {
        var input = _temp.File("in.csv", Header + Rows(1, 20, i => i is 3 or 7 or 12));
        var other = _temp.File("other.csv", Header + Rows(100, 5, _ => false));

        var result = _shell.Run("Import-Transaction $in, $other -MaxErrors 2 -QuarantinePath $q", new { @in = input, other, q = Quarantine }, expectFailure: true);

        Assert.Equal(Enumerable.Range(1, 11).Where(i => i is not (3 or 7)).Select(i => i.ToString()), result.Objects<Transaction>().Select(t => t.TransactionId));
        Assert.Equal(["InvalidAmount", "InvalidAmount", "InvalidAmount", "ErrorBudgetExceeded"], result.ErrorIds);
        Assert.Equal(input + ":13", result.Errors[^1].TargetObject);
        Assert.Equal(4, File.ReadAllLines(Quarantine).Length);
    }

    [Fact]
    public void MaxErrorRate_is_judged_at_the_end_of_a_small_file()
    {
        var input = _temp.File("in.csv", Header + Rows(1, 10, i => i == 4 || i == 9));

        var within = _shell.Run("Import-Transaction $in -MaxErrorRate 0.2", new { @in = input }, expectFailure: true);
        var beyond = _shell.Run("Import-Transaction $in -MaxErrorRate 0.1", new { @in = input }, expectFailure: true);

        Assert.Equal(8, within.Output.Count);
        Assert.Equal(["InvalidAmount", "InvalidAmount"], within.ErrorIds);
        Assert.Equal(8, beyond.Output.Count);
        Assert.Equal(["InvalidAmount", "InvalidAmount", "ErrorBudgetExceeded"], beyond.ErrorIds);
    }

    [Fact]
    public void MaxErrorRate_stops_a_long_file_early()
    {
        var input = _temp.File("in.csv", Header + Rows(1, 1000, i => i > 150 && i % 2 == 0));

        var result = _shell.Run("Import-Transaction $in -MaxErrorRate 0.05 -ErrorAction SilentlyContinue", new { @in = input }, expectFailure: true);

        Assert.Equal("ErrorBudgetExceeded", result.ErrorIds[^1]);
        Assert.InRange(result.Output.Count, 150, 200);
    }

    [Fact]
    public void A_file_that_is_not_a_quarantine_file_is_refused_before_anything_is_read()
    {
        var input = _temp.File("in.csv", Header + "1,C1,x\n");

        var result = _shell.Run("Import-Transaction $in -QuarantinePath $in", new { @in = input }, expectFailure: true);

        Assert.Equal(["QuarantineNotWritable"], result.ErrorIds);
        Assert.Equal(Header + "1,C1,x\n", File.ReadAllText(input));
    }

    [Fact]
    public void A_column_named_twice_is_renamed_with_one_warning_also_when_followed()
    {
        var input = _temp.File("in.csv", "transaction_id,customer_id,amount,merchant,merchant\n1,C1,10,a,b\n");

        var once = _shell.Run("Import-Transaction $in", new { @in = input });
        var followed = _shell.Run("Import-Transaction $in -Wait -IdleTimeout 0.3", new { @in = input });

        Assert.Equal("b", once.Objects<Transaction>().Single().Attributes["merchant_2"]);
        Assert.Contains("merchant_2", Assert.Single(once.Warnings));
        Assert.Single(followed.Warnings);
        Assert.Empty(once.Errors);
    }

    [Fact]
    public void A_record_over_MaxRecordSize_is_skipped_and_a_larger_limit_reads_it()
    {
        var input = _temp.File("in.csv", "transaction_id,customer_id,amount,note\n1,C1,10,\"" + new string('n', 3 * 1024 * 1024) + "\"\n2,C2,20,short\n");

        var limited = _shell.Run("Import-Transaction $in", new { @in = input });
        var raised = _shell.Run("Import-Transaction $in -MaxRecordSize 8MB", new { @in = input });

        Assert.Equal(["RecordTooLarge"], limited.ErrorIds);
        Assert.Equal(input + ":2", limited.Errors[0].TargetObject);
        Assert.Equal(["2"], limited.Objects<Transaction>().Select(t => t.TransactionId));
        Assert.Empty(raised.Errors);
        Assert.Equal(["1", "2"], raised.Objects<Transaction>().Select(t => t.TransactionId));
    }

    public void Dispose() => _temp.Dispose();
}
