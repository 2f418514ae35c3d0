using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Text;
using Xunit;

namespace AnomalyTools.Tests.Pipelines;

/// <summary>
/// Chaining: the same pipeline text gives the same objects, errors in the same places, the same files, whether the
/// module's cmdlets hand each other arrays (the default, when they are neighbours and nothing else can see the stream)
/// or single objects (-ReadCount 1); and where something else could see the stream, nothing is chained.
/// </summary>
public class ChainingTests : IClassFixture<PowerShellFixture>, IDisposable
{
    private const string Unchained = "-ReadCount 1";
    private readonly PowerShellSession _shell;
    private readonly TempDirectory _temp = new();
    private readonly string _input;

    public ChainingTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
        _input = _temp.File("input.csv", Rows(5000, badEvery: 997));
    }

    // Every fifth row above 8000; every badEvery-th row without an amount; timestamps throughout.
    private static string Rows(int count, int badEvery)
    {
        var text = new StringBuilder("transaction_id,customer_id,amount,timestamp\n");
        for (var i = 1; i <= count; i++)
        {
            var amount = i % badEvery == 0 ? "" : i % 5 == 0 ? "9000." + (i % 100).ToString("D2") : (i % 800).ToString() + ".50";
            text.Append($"{i},C{i % 37},{amount},2024-03-01T00:{i / 60 % 60:D2}:{i % 60:D2}Z\n");
        }
        return text.ToString();
    }

    [Fact]
    public void The_plain_pipeline_chains_both_hand_overs_and_writes_what_the_unchained_one_writes()
    {
        var chained = RunPipeline("", _temp.Combine("chained"), out var chainedArrays);
        var unchained = RunPipeline(Unchained, _temp.Combine("unchained"), out var unchainedArrays);

        Assert.True(chainedArrays >= 2, "the plain pipeline handed over arrays");
        Assert.Equal(0, unchainedArrays);
        Assert.Equal(999, chained.Objects<Transaction>().Length);
        Assert.Equal(Ids(unchained), Ids(chained));
        Assert.Equal(unchained.ErrorIds, chained.ErrorIds);
        Assert.Equal(["MissingRequiredValue", "MissingRequiredValue", "MissingRequiredValue", "MissingRequiredValue", "MissingRequiredValue"], chained.ErrorIds);
        AssertSameFiles(_temp.Combine("unchained"), _temp.Combine("chained"));
    }

    [Fact]
    public void The_seed_pipeline_writes_the_exercise_bytes_chained()
    {
        var output = _temp.Combine("seed");
        var data = Path.Combine(TestEnvironment.RepoRoot, "data", "data.csv");

        var result = _shell.Run("Import-Transaction $data | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru", new { data, @out = output });

        Assert.Equal(Encoding.UTF8.GetBytes(SeedPipelineTests.ExpectedPart), File.ReadAllBytes(Path.Combine(output, "part-0-00000")));
        Assert.Equal(["1002", "1005", "1009", "1011", "1018", "1031", "1036", "1041", "1042"], result.Objects<Transaction>().Select(t => t.TransactionId));
        Assert.Equal(["MissingRequiredValue", "MissingRequiredValue"], result.ErrorIds);
    }

    [Theory]
    [InlineData("2>&1")]
    [InlineData("*>&1")]
    public void Errors_and_warnings_keep_their_place_among_the_outputs(string redirection)
    {
        var feed = _temp.File("late.csv", Rows(3000, badEvery: 401) + "3001,C1,9500.00,2024-02-01T00:00:00Z\n3002,C1,9500.00,\n");
        string Run(string readCount) => string.Join(" ", _shell.Run(
            $"& {{ Import-Transaction $in {readCount} -Verbose | Select-SuspiciousTransaction -MaxPerWindow 1000 -Window 1 }} {redirection}",
            new { @in = feed }).Output.Select(Describe));

        var chained = Run("");
        var unchained = Run(Unchained);

        Assert.Equal(unchained, chained);
        Assert.Contains("error:MissingRequiredValue", chained);
        Assert.Contains("error:MissingTimestamp", chained);
    }

    [Fact]
    public void ErrorAction_Stop_loses_no_row_read_before_the_bad_one()
    {
        string Run(string readCount, string output) => string.Join(" ", _shell.Run(
            $"try {{ Import-Transaction $in {readCount} -ErrorAction Stop | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru }} " +
            "catch { 'stopped:' + $_.FullyQualifiedErrorId.Split(',')[0] }",
            new { @in = _input, @out = output }).Output.Select(Describe));

        var chained = Run("", _temp.Combine("stop-chained"));
        var unchained = Run(Unchained, _temp.Combine("stop-unchained"));

        Assert.EndsWith("990 995 stopped:MissingRequiredValue", chained);
        Assert.Equal(unchained, chained);
        AssertSameFiles(_temp.Combine("stop-unchained"), _temp.Combine("stop-chained"));
    }

    [Fact]
    public void The_error_budget_stops_at_the_same_row()
    {
        PipelineResult Run(string readCount, string output) => _shell.Run(
            $"Import-Transaction $in {readCount} -MaxErrors 2 -QuarantinePath (Join-Path $out q.csv) | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru",
            new { @in = _input, @out = output }, expectFailure: true);

        var chained = Run("", _temp.Combine("budget-chained"));
        var unchained = Run(Unchained, _temp.Combine("budget-unchained"));

        Assert.Equal(Ids(unchained), Ids(chained));
        Assert.Equal(unchained.ErrorIds, chained.ErrorIds);
        AssertSameFiles(_temp.Combine("budget-unchained"), _temp.Combine("budget-chained"));
    }

    [Fact]
    public void Select_Object_First_further_down_stops_the_import_where_it_stops_unchained()
    {
        var input = _temp.File("first.csv", "transaction_id,customer_id,amount\n1,C1,9001\n2,C1,1\n3,C1,9002\n4,C1,9003\n5,C1,\n6,C1,9004\n");
        string Run(string readCount, string quarantine) => string.Join(" ", _shell.Run(
            $"Import-Transaction $in {readCount} -QuarantinePath $q | Select-SuspiciousTransaction | Select-Object -First 3",
            new { @in = input, q = quarantine }).Objects<Transaction>().Select(t => t.TransactionId)) + "|" + File.ReadAllText(quarantine);

        var chained = Run("", _temp.Combine("q-chained.csv"));

        Assert.Equal(Run(Unchained, _temp.Combine("q-unchained.csv")), chained);
        Assert.StartsWith("1 3 4|", chained);
        Assert.DoesNotContain("\n5,", chained);
    }

    [Fact]
    public void A_pipeline_over_several_lines_chains()
    {
        var before = ChainedArrays();

        var result = _shell.Run("Import-Transaction $in |\n    Select-SuspiciousTransaction\n", new { @in = _input });
        var leadingPipe = _shell.Run("Import-Transaction $in\n    | Select-SuspiciousTransaction\n", new { @in = _input });

        Assert.True(ChainedArrays() - before >= 2);
        Assert.Equal(999, result.Output.Count);
        Assert.Equal(Ids(result), Ids(leadingPipe));
    }

    public static TheoryData<string, string> FallBacks => new()
    {
        { "Tee-Object", "Import-Transaction $in | Tee-Object -Variable seen | Select-SuspiciousTransaction | Out-Null; $seen" },
        { "Where-Object", "Import-Transaction $in | Where-Object { $true } | Select-SuspiciousTransaction | Out-Null; Import-Transaction $in | Where-Object { $true }" },
        { "OutVariable", "Import-Transaction $in -OutVariable seen | Select-SuspiciousTransaction | Out-Null; $seen" },
        { "PipelineVariable", "Import-Transaction $in -PipelineVariable seen | Select-SuspiciousTransaction -Threshold 0 | ForEach-Object { $seen }" },
        { "OutBuffer", "Import-Transaction $in -OutBuffer 10 -OutVariable seen | Select-SuspiciousTransaction | Out-Null; $seen" },
        { "a function of the same name", "& { function Select-SuspiciousTransaction { process { $_ } }; Import-Transaction $in | Select-SuspiciousTransaction }" },
        { "a proxy of our cmdlet", "& { function Select-SuspiciousTransaction { [CmdletBinding()] param([Parameter(ValueFromPipeline)] $InputObject) " +
            "process { $InputObject; $InputObject | AnomalyTools\\Select-SuspiciousTransaction | Out-Null } }; Import-Transaction $in | Select-SuspiciousTransaction }" },
        { "a nested pipeline on the same line", "ForEach-Object { Import-Transaction $in | Where-Object { $true } } | Select-SuspiciousTransaction -Threshold 0 | Out-Null; " +
            "ForEach-Object { Import-Transaction $in | Where-Object { $true } } | Tee-Object -Variable seen | Select-SuspiciousTransaction | Out-Null; $seen" },
        { "a breakpoint", "$breakpoint = Set-PSBreakpoint -Variable neverRead -Mode Read; try { Import-Transaction $in | Tee-Object -Variable seen | Select-SuspiciousTransaction | Out-Null; " +
            "Import-Transaction $in | Select-SuspiciousTransaction | Out-Null } finally { Remove-PSBreakpoint $breakpoint }; $seen" },
        { "a trace source", "Trace-Command -Name TypeConversion -Option None -Expression { 'x' } | Out-Null; Set-TraceSource -Name ParameterBinding -Option Method; " +
            "try { Import-Transaction $in | Select-SuspiciousTransaction | Out-Null } finally { Set-TraceSource -Name ParameterBinding -Option None }; Import-Transaction $in | Tee-Object -Variable seen | Out-Null; $seen" },
        { "-ReadCount 1", "Import-Transaction $in -ReadCount 1 | Select-SuspiciousTransaction | Out-Null; Import-Transaction $in -ReadCount 1" },
    };

    [Theory]
    [MemberData(nameof(FallBacks))]
    public void Nothing_is_chained_where_something_else_could_see_the_stream(string what, string script)
    {
        var before = ChainedArrays();

        var seen = _shell.Run(script, new { @in = _temp.File("small.csv", Rows(50, badEvery: 1000)) });

        Assert.Equal(0, ChainedArrays() - before);
        Assert.True(seen.Output.Count >= 50, what);
        Assert.All(seen.Output, item => Assert.IsType<Transaction>(item.BaseObject));
    }

    [Fact]
    public void Following_hands_over_each_appended_row_as_soon_as_it_has_caught_up()
    {
        var feed = _temp.File("feed.csv", "transaction_id,customer_id,amount\n1,C1,9000.00\n");
        using var live = _shell.Start("Import-Transaction $feed -Wait | Select-SuspiciousTransaction", new { feed });
        Eventually.Until(() => live.Output.Length == 1, "the first row");

        Feed.Append(feed, "2,C2,9100.00\n3,C3,5.00\n4,C4,9200.00\n");
        Eventually.Until(() => live.Output.Length == 3, "the appended rows");

        Assert.False(live.Completed);
        Assert.Equal(["1", "2", "4"], live.Transactions.Select(t => t.TransactionId));
    }

    private PipelineResult RunPipeline(string readCount, string output, out long chainedArrays)
    {
        var before = ChainedArrays();
        var result = _shell.Run(
            $"Import-Transaction $in {readCount} | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru",
            new { @in = _input, @out = output });
        chainedArrays = ChainedArrays() - before;
        return result;
    }

    // How many arrays chained cmdlets handed over in the session's runspace: what shows that chaining happened, since
    // nothing the user can see may.
    private long ChainedArrays()
    {
        var runspace = _shell.Run("[runspace]::DefaultRunspace").Objects<Runspace>().Single();
        var cmdlet = _shell.Run("(Get-Command Import-Transaction).ImplementingType").Objects<Type>().Single();
        var neighbours = cmdlet.Assembly.GetType("AnomalyTools.Commands.Chaining.PipelineNeighbours", throwOnError: true)!;
        return (long)neighbours.GetMethod("ChainedArrays", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!.Invoke(null, [runspace])!;
    }

    private static string[] Ids(PipelineResult result) => result.Objects<Transaction>().Select(t => t.TransactionId).ToArray();

    private static string Describe(PSObject item) => item.BaseObject switch
    {
        Transaction transaction => transaction.TransactionId,
        ErrorRecord error => "error:" + error.FullyQualifiedErrorId.Split(',')[0],
        WarningRecord => "warning",
        VerboseRecord => "verbose",
        string text => text,
        _ => item.BaseObject.GetType().Name,
    };

    private static void AssertSameFiles(string expectedFolder, string actualFolder)
    {
        static string[] Names(string folder) => Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(Names(expectedFolder), Names(actualFolder));
        foreach (var name in Names(expectedFolder).Where(name => !name.StartsWith('_')))
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(expectedFolder, name)), File.ReadAllBytes(Path.Combine(actualFolder, name)));
        }
    }

    public void Dispose() => _temp.Dispose();
}
