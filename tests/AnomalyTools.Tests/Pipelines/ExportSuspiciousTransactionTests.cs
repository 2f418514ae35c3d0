using System.Text;
using Xunit;

namespace AnomalyTools.Tests.Pipelines;

public class ExportSuspiciousTransactionTests : IClassFixture<PowerShellFixture>, IDisposable
{
    private readonly PowerShellSession _shell;
    private readonly TempDirectory _temp = new();
    private readonly string _input;

    public ExportSuspiciousTransactionTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
        _input = _temp.File("in.csv", "transaction_id,customer_id,amount,merchant\n1,C1,9000.10,=cmd|' /C calc'!A0\n2,C2,5,Shop\n3,C3,8500,Shop\n");
    }

    private string Output => _temp.Combine("out");

    private string[] Files() => Directory.GetFiles(Output).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private string Part(string name) => Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(Output, name)));

    [Fact]
    public void Writes_text_lines_and_passes_nothing_on_without_PassThru()
    {
        var result = _shell.Run("Import-Transaction $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out", new { @in = _input, @out = Output });

        Assert.Empty(result.Output);
        Assert.Equal(["part-0-00000"], Files());
        Assert.Equal("1, C1, 9000.10\n3, C3, 8500\n", Part("part-0-00000"));
    }

    [Fact]
    public void An_existing_output_folder_keeps_its_parts_and_numbering_continues()
    {
        Directory.CreateDirectory(Output);
        File.WriteAllText(Path.Combine(Output, "part-0-00000"), "earlier run\n");

        var result = _shell.Run("Import-Transaction $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out", new { @in = _input, @out = Output });

        Assert.Empty(result.Errors);
        Assert.Equal(["part-0-00000", "part-0-00001"], Files());
        Assert.Equal("earlier run\n", Part("part-0-00000"));
        Assert.Equal("1, C1, 9000.10\n3, C3, 8500\n", Part("part-0-00001"));
    }

    [Fact]
    public void An_abandoned_in_progress_part_is_rolled_back_with_a_warning()
    {
        Directory.CreateDirectory(Output);
        File.WriteAllText(Path.Combine(Output, ".part-0-00000.inprogress"), "1, C1, 90");

        var result = _shell.Run("Import-Transaction $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out", new { @in = _input, @out = Output });

        Assert.Contains(".part-0-00000.inprogress", Assert.Single(result.Warnings));
        Assert.Equal(["part-0-00001"], Files());
        Assert.Equal("1, C1, 9000.10\n3, C3, 8500\n", Part("part-0-00001"));
    }

    [Fact]
    public void Csv_format_has_every_column_the_findings_and_no_live_formula()
    {
        _shell.Run("Import-Transaction $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -Format Csv", new { @in = _input, @out = Output });

        var lines = Part("part-0-00000").Split('\n');
        Assert.Equal("TransactionId,CustomerId,Amount,Timestamp,merchant,Rules,Findings,Source,LineNumber", lines[0]);
        Assert.Equal($"1,C1,9000.10,,'=cmd|' /C calc'!A0,Threshold,amount 9000.10 exceeds the threshold 8000,{_input},2", lines[1]);
    }

    [Fact]
    public void JsonLines_format_is_json_a_line_with_exact_amounts()
    {
        var result = _shell.Run(
            "Import-Transaction $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -Format JsonLines; " +
            "[IO.File]::ReadAllLines([IO.Path]::Combine($out, 'part-0-00000')) | ForEach-Object { $json = [Text.Json.JsonDocument]::Parse($_).RootElement; $json.GetProperty('findings')[0].GetProperty('rule').GetString() + ' ' + $json.GetProperty('amount').GetDecimal() }",
            new { @in = _input, @out = Output });

        Assert.Equal(["Threshold 9000.10", "Threshold 8500"], result.Output.Select(o => o.ToString()));
    }

    [Theory]
    [InlineData("Source")]
    [InlineData("Rules")]
    [InlineData("Findings")]
    [InlineData("LineNumber")]
    [InlineData("source")]
    public void Csv_header_names_every_column_once_when_an_input_column_is_named_like_its_own(string column)
    {
        var input = _temp.File("forged.csv", $"transaction_id,customer_id,amount,{column}\n1,C1,9000.10,forged\n");

        var result = _shell.Run("Import-Transaction $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -Format Csv", new { @in = input, @out = Output });

        Assert.Empty(result.Errors);
        var rows = Rows(Part("part-0-00000"));
        Assert.Equal(["1", "C1", "9000.10", "", "forged", "Threshold", "amount 9000.10 exceeds the threshold 8000", input, "2"],
            new[] { "TransactionId", "CustomerId", "Amount", "Timestamp", column + "_2", "Rules", "Findings", "Source", "LineNumber" }.Select(name => rows[0][name]));
    }

    [Fact]
    public void Csv_and_JsonLines_name_every_field_once_when_ColumnMap_leaves_columns_named_like_the_fields()
    {
        var input = _temp.File("mapped.csv",
            "id,cust,value,when,TransactionId,CustomerId,Amount,Timestamp,Source,Rules,Findings,LineNumber\n" +
            "1,C1,9000.10,2024-03-01T08:00:00Z,FORGED,C666,1,1999-01-01,evil.csv,None,none,0\n");
        const string import = "Import-Transaction $in -ColumnMap @{ TransactionId = 'id'; CustomerId = 'cust'; Amount = 'value'; Timestamp = 'when' } | Select-SuspiciousTransaction";

        var csv = _shell.Run(import + " | Export-SuspiciousTransaction $out -Format Csv", new { @in = input, @out = Output });
        var json = _shell.Run(import + " | Export-SuspiciousTransaction $out -Format JsonLines", new { @in = input, @out = _temp.Combine("json") });

        Assert.Empty(csv.Errors);
        Assert.Empty(json.Errors);
        var header = Part("part-0-00000").Split('\n')[0];
        Assert.Equal(
            "TransactionId,CustomerId,Amount,Timestamp,TransactionId_2,CustomerId_2,Amount_2,Timestamp_2,Source_2,Rules_2,Findings_2,LineNumber_2,Rules,Findings,Source,LineNumber",
            header);
        var row = Rows(Part("part-0-00000"))[0];
        Assert.Equal(["1", "C1", "9000.10", "FORGED", "evil.csv", input, "2"],
            new[] { "TransactionId", "CustomerId", "Amount", "TransactionId_2", "Source_2", "Source", "LineNumber" }.Select(name => row[name]));
        var line = File.ReadAllText(Path.Combine(_temp.Combine("json"), "part-0-00000"));
        JsonKeys.AssertUniqueInEveryObject(line);
        var root = System.Text.Json.JsonDocument.Parse(line).RootElement;
        Assert.Equal(["1", "C1", input], new[] { "transactionId", "customerId", "source" }.Select(name => root.GetProperty(name).GetString()));
        Assert.Equal("FORGED", root.GetProperty("attributes").GetProperty("TransactionId").GetString());
    }

    [Fact]
    public void Csv_output_with_control_characters_is_quoted_and_imports_back_the_same()
    {
        var ids = new[] { "nul\u0000", "esc\u001b[2J", "bel\u0007", "del\u007f", "csi\u009b", "v\u000bt" };
        var result = _shell.Run(
            "$ids | ForEach-Object { [pscustomobject]@{ TransactionId = $_; CustomerId = 'C' + $_; Amount = 9000 } } | Export-SuspiciousTransaction $out -Format Csv -KeepFormulas; " +
            "Import-Transaction ([IO.Path]::Combine($out, 'part-0-00000'))",
            new { ids, @out = Output });

        Assert.Empty(result.Errors);
        var text = Part("part-0-00000");
        Assert.All(ids, id => Assert.Contains($"\"{id}\",\"C{id}\",9000,", text));
        var read = result.Objects<Transaction>();
        Assert.Equal(ids, read.Select(t => t.TransactionId));
        Assert.Equal(ids.Select(id => "C" + id), read.Select(t => t.CustomerId));
    }

    /// <summary>The records of CSV text without quoted fields, each by its header's names, which must be unique (ignoring case).</summary>
    private static List<Dictionary<string, string>> Rows(string csv)
    {
        var lines = csv.TrimEnd('\n').Split('\n');
        var names = lines[0].Split(',');
        Assert.Equal(names.Length, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        return lines.Skip(1).Select(line => names.Zip(line.Split(',')).ToDictionary(pair => pair.First, pair => pair.Second)).ToList();
    }

    [Fact]
    public void MaxPartSize_rolls_parts()
    {
        _shell.Run("Import-Transaction $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -MaxPartSize 10", new { @in = _input, @out = Output });

        Assert.Equal(["part-0-00000", "part-0-00001"], Files());
        Assert.Equal("3, C3, 8500\n", Part("part-0-00001"));
    }

    [Fact]
    public void PassThru_emits_what_was_written()
    {
        var result = _shell.Run("Import-Transaction $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru", new { @in = _input, @out = Output });

        Assert.Equal(["1", "3"], result.Objects<Transaction>().Select(t => t.TransactionId));
    }

    [Fact]
    public void WhatIf_writes_nothing_and_creates_no_folder()
    {
        var result = _shell.Run("Import-Transaction $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -WhatIf -PassThru", new { @in = _input, @out = Output });

        Assert.False(Directory.Exists(Output));
        Assert.Empty(result.Output);
    }

    [Fact]
    public void An_output_path_that_cannot_be_a_folder_stops_the_command()
    {
        var blocker = _temp.File("blocker", "a file");

        var result = _shell.Run("Import-Transaction $in | Export-SuspiciousTransaction ([IO.Path]::Combine($blocker, 'sub')) -PassThru", new { @in = _input, blocker });

        Assert.Empty(result.Output);
        Assert.Equal(["OutputNotWritable"], result.ErrorIds);
    }

    [Fact]
    public void KeepFormulas_writes_text_that_looks_like_a_formula_as_it_is()
    {
        _shell.Run("Import-Transaction $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -Format Csv -KeepFormulas", new { @in = _input, @out = Output });

        Assert.Equal($"1,C1,9000.10,,=cmd|' /C calc'!A0,Threshold,amount 9000.10 exceeds the threshold 8000,{_input},2", Part("part-0-00000").Split('\n')[1]);
    }

    [Fact]
    public void A_stopped_pipeline_commits_what_was_written()
    {
        var result = _shell.Run(
            "& { 1..3 | ForEach-Object { [pscustomobject]@{ transaction_id = $_; customer_id = 'C'; amount = 9000 } }; throw 'upstream failed' } | Export-SuspiciousTransaction $out -ErrorAction SilentlyContinue",
            new { @out = Output },
            expectFailure: true);

        Assert.Equal(["part-0-00000"], Files());
        Assert.Equal("1, C, 9000\n2, C, 9000\n3, C, 9000\n", Part("part-0-00000"));
    }

    public void Dispose() => _temp.Dispose();
}
