using Xunit;

namespace AnomalyTools.Tests.Pipelines;

/// <summary>Paths of every shape, for the input files and the output folder.</summary>
public class PathTests : IClassFixture<PowerShellFixture>, IDisposable
{
    private const string Csv = "transaction_id,customer_id,amount\n1,C1,9000.50\n";

    private readonly PowerShellSession _shell;
    private readonly TempDirectory _temp = new();

    public PathTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
    }

    [Theory]
    [InlineData("with spaces", "in put.csv", "out put")]
    [InlineData("brackets [1]", "a[1].csv", "out [2]")]
    [InlineData("ünïcödé ✓ 日本", "dätä.csv", "aüsgabe")]
    public void Input_files_and_output_folders_with_any_name_work(string folder, string file, string output)
    {
        Directory.CreateDirectory(_temp.Combine(folder));
        var input = _temp.File(Path.Combine(folder, file), Csv);
        var outputPath = _temp.Combine(folder, output);

        var result = _shell.Run("Import-Transaction -LiteralPath $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out", new { @in = input, @out = outputPath });

        Assert.Empty(result.Errors);
        Assert.Equal("1, C1, 9000.50\n", File.ReadAllText(Path.Combine(outputPath, "part-0-00000")));
    }

    [Fact]
    public void A_very_long_path_works_for_input_and_output()
    {
        var deep = Path.Combine([_temp.Path, .. Enumerable.Repeat(new string('d', 200), 12)]);
        Directory.CreateDirectory(deep);
        var input = Path.Combine(deep, "in.csv");
        File.WriteAllText(input, Csv);

        var result = _shell.Run("Import-Transaction -LiteralPath $in | Export-SuspiciousTransaction -Path $out", new { @in = input, @out = Path.Combine(deep, "out") });

        Assert.Empty(result.Errors);
        Assert.True(File.Exists(Path.Combine(deep, "out", "part-0-00000")));
    }

    [Fact]
    public void A_symbolic_link_loop_is_one_ReadError_and_the_other_files_are_read()
    {
        var loop = _temp.Combine("loop.csv");
        File.CreateSymbolicLink(loop, _temp.Combine("other.csv"));
        File.CreateSymbolicLink(_temp.Combine("other.csv"), loop);
        var good = _temp.File("good.csv", Csv);

        var result = _shell.Run("Import-Transaction -LiteralPath $loop, $good", new { loop, good });

        Assert.Equal(["ReadError"], result.ErrorIds);
        Assert.Equal(["1"], result.Objects<Transaction>().Select(t => t.TransactionId));
    }

    [Fact]
    public void An_output_folder_or_quarantine_file_whose_path_holds_a_NUL_is_not_writable_whatever_the_other_settings()
    {
        var input = _temp.File("in.csv", Csv);
        var bad = _temp.Combine("out\0put");

        var export = _shell.Run("Import-Transaction -LiteralPath $in | Export-SuspiciousTransaction $out -BucketBy EventTime", new { @in = input, @out = bad }, expectFailure: true);
        var quarantine = _shell.Run("Import-Transaction -LiteralPath $in -QuarantinePath $q", new { @in = input, q = bad }, expectFailure: true);

        Assert.Equal(["OutputNotWritable"], export.ErrorIds);
        Assert.Equal(["QuarantineNotWritable"], quarantine.ErrorIds);
        Assert.Empty(quarantine.Objects<Transaction>());
    }

    public void Dispose() => _temp.Dispose();
}
