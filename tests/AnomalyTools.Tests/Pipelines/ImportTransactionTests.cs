using System.Text;
using Xunit;

namespace AnomalyTools.Tests.Pipelines;

public class ImportTransactionTests : IClassFixture<PowerShellFixture>, IDisposable
{
    private const string Header = "transaction_id,customer_id,amount\n";
    private readonly PowerShellSession _shell;
    private readonly TempDirectory _temp = new();

    public ImportTransactionTests(PowerShellFixture fixture)
    {
        _shell = fixture.Session;
    }

    [Fact]
    public void Two_columns_that_match_the_transaction_id_are_a_warning_naming_both_and_the_first_is_read()
    {
        var file = _temp.File("forged.csv", "transaction_id,customer_id,amount,Transaction ID\n1,C1,9000,FORGED\n");

        var result = _shell.Run("Import-Transaction $file", new { file });

        var transaction = Assert.Single(result.Objects<Transaction>());
        Assert.Equal(("1", "FORGED"), (transaction.TransactionId, transaction.Attributes["Transaction ID"]));
        Assert.Empty(result.Errors);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("'transaction_id' (column 1)", warning);
        Assert.Contains("'Transaction ID' (column 4)", warning);
    }

    [Fact]
    public void A_missing_file_among_good_ones_is_one_PathNotFound_and_the_others_are_read()
    {
        var a = _temp.File("a.csv", Header + "1,C1,5\n");
        var b = _temp.File("b.csv", Header + "2,C2,6\n");

        var result = _shell.Run("Import-Transaction $a, $missing, $b", new { a, b, missing = _temp.Combine("missing.csv") });

        Assert.Equal(["1", "2"], result.Objects<Transaction>().Select(t => t.TransactionId));
        Assert.Equal(["PathNotFound"], result.ErrorIds);
        Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, result.Errors[0].CategoryInfo.Category);
    }

    [Fact]
    public void A_file_with_brackets_in_its_name_is_read_with_LiteralPath_and_by_PSPath_as_Get_ChildItem_passes_it()
    {
        var file = _temp.File("a[1].csv", Header + "1,C1,9000.01\n");

        var literal = _shell.Run("Import-Transaction -LiteralPath $file", new { file });
        // Get-ChildItem's objects carry PSPath; the hosted engine has no Get-ChildItem, so an object with the same property stands in.
        var piped = _shell.Run("[pscustomobject]@{ PSPath = 'Microsoft.PowerShell.Core\\FileSystem::' + $file } | Import-Transaction", new { file });

        Assert.Equal("1", literal.Objects<Transaction>().Single().TransactionId);
        Assert.Equal("1", piped.Objects<Transaction>().Single().TransactionId);
        Assert.Empty(literal.Errors);
        Assert.Empty(piped.Errors);
    }

    [Fact]
    public void Wildcards_expand_in_Path_in_name_order()
    {
        _temp.File("jan.csv", Header + "1,C1,5\n");
        _temp.File("feb.csv", Header + "2,C2,6\n");
        _temp.File("notes.txt", "not csv");

        var result = _shell.Run("Import-Transaction ([IO.Path]::Combine($dir, '*.csv'))", new { dir = _temp.Path });

        Assert.Equal(["2", "1"], result.Objects<Transaction>().Select(t => t.TransactionId));
    }

    [Fact]
    public void A_wildcard_that_matches_nothing_and_a_directory_are_errors()
    {
        var result = _shell.Run("Import-Transaction ([IO.Path]::Combine($dir, '*.nothing')), $dir", new { dir = _temp.Path });

        Assert.Equal(["PathNotFound", "PathIsDirectory"], result.ErrorIds);
    }

    [Fact]
    public void Bad_rows_are_non_terminating_errors_with_stable_ids_and_the_file_goes_on()
    {
        var file = _temp.File("bad.csv", "transaction_id,customer_id,amount,timestamp\n1,C1,abc,\n2,C2,5,2024-13-45\n3,C3\n4,C4,7,\n");

        var result = _shell.Run("Import-Transaction $file", new { file });

        Assert.Equal(["4"], result.Objects<Transaction>().Select(t => t.TransactionId));
        Assert.Equal(["InvalidAmount", "InvalidTimestamp", "FieldCountMismatch"], result.ErrorIds);
        Assert.Equal(file + ":2", result.Errors[0].TargetObject);
        Assert.Contains(file + ":2", result.Errors[0].Exception.Message);
        Assert.Contains("'abc'", result.Errors[0].Exception.Message);
    }

    [Fact]
    public void A_header_without_a_required_column_skips_that_file_only()
    {
        var bad = _temp.File("bad.csv", "id,customer,value\n1,C1,5\n");
        var good = _temp.File("good.csv", Header + "2,C2,6\n");

        var result = _shell.Run("Import-Transaction $bad, $good", new { bad, good });

        Assert.Equal(["2"], result.Objects<Transaction>().Select(t => t.TransactionId));
        Assert.Equal(["MissingRequiredColumn"], result.ErrorIds);
        Assert.Contains("'id', 'customer', 'value'", result.Errors[0].Exception.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" -Wait -IdleTimeout 0.3")]
    public void A_header_that_is_not_valid_csv_skips_that_file_only_and_no_data_row_becomes_its_header(string mode)
    {
        var bad = _temp.File("bad.csv", "transaction_id,cust\"omer_id,amount\n1,C1,9000\ntransaction_id,customer_id,amount\n3,C3,9500\n");
        var good = _temp.File("good.csv", Header + "2,C2,6\n");

        var result = _shell.Run("Import-Transaction $bad, $good" + mode, new { bad, good });

        Assert.Equal(["2"], result.Objects<Transaction>().Select(t => t.TransactionId));
        Assert.Equal(["MalformedCsv"], result.ErrorIds);
        Assert.Equal(bad + ":1", result.Errors[0].TargetObject);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" -Wait -IdleTimeout 0.3")]
    public void MaxRecordSize_is_one_exact_limit_whether_a_file_is_read_once_or_followed(string mode)
    {
        var exact = "2,C2,9000,\"" + new string('n', 1024 - 13) + "\"\n";
        var over = "3,C3,9000,\"" + new string('n', 1024 - 12) + "\"\n";
        var file = _temp.File("sized.csv", "transaction_id,customer_id,amount,note\n1,C1,9000,a\n" + exact + over
            + "4,C4,9000,\"" + new string('x', 100 * 1024) + "\"\n5,C5,9000,b\n");

        var result = _shell.Run("Import-Transaction $file -MaxRecordSize 1024" + mode, new { file });

        Assert.Equal(["1", "2", "5"], result.Objects<Transaction>().Select(t => t.TransactionId));
        Assert.Equal(["RecordTooLarge", "RecordTooLarge"], result.ErrorIds);
        Assert.Equal([file + ":4", file + ":5"], result.Errors.Select(e => e.TargetObject));
    }

    [Fact]
    public void Quoted_fields_with_commas_and_line_breaks_a_bom_and_crlf()
    {
        var file = _temp.Combine("quoted.csv");
        File.WriteAllText(file, "transaction_id,customer_id,amount,merchant\r\n1,C1,9000.50,\"Acme, Inc.\r\nEast\"\r\n2,C2,1.00,Plain\r\n", new UTF8Encoding(true));

        var result = _shell.Run("Import-Transaction $file", new { file });

        var transactions = result.Objects<Transaction>();
        Assert.Equal("Acme, Inc.\r\nEast", transactions[0].Attributes["merchant"]);
        Assert.Equal("1", transactions[0].TransactionId);
        Assert.Equal(4L, transactions[1].LineNumber);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Delimiter_Culture_and_ColumnMap()
    {
        var file = _temp.File("de.csv", "Buchung;Kunde;Betrag\nB1;K1;8.000,01\n");

        var result = _shell.Run(
            "Import-Transaction $file -Delimiter ';' -Culture de-DE -ColumnMap @{ TransactionId = 'Buchung'; CustomerId = 'Kunde'; Amount = 'Betrag' }",
            new { file });

        var transaction = result.Objects<Transaction>().Single();
        Assert.Equal(("B1", "K1", 8000.01m), (transaction.TransactionId, transaction.CustomerId, transaction.Amount));
    }

    [Fact]
    public void With_a_culture_a_group_separator_out_of_place_is_an_InvalidAmount_never_a_hundred_times_the_amount()
    {
        var file = _temp.File("de-misplaced.csv", "Buchung;Kunde;Betrag\nB1;K1;9001.50\nB2;K1;8.5\nB3;K1;1.2.3,4\nB4;K1;9.001,50\nB5;K1;9001,50\n");

        var result = _shell.Run(
            "Import-Transaction $file -Delimiter ';' -Culture de-DE -ColumnMap @{ TransactionId = 'Buchung'; CustomerId = 'Kunde'; Amount = 'Betrag' } | Select-SuspiciousTransaction",
            new { file });

        Assert.Equal(["InvalidAmount", "InvalidAmount", "InvalidAmount"], result.ErrorIds);
        Assert.Equal([file + ":2", file + ":3", file + ":4"], result.Errors.Select(e => e.TargetObject));
        Assert.Equal([("B4", 9001.50m), ("B5", 9001.50m)], result.Objects<Transaction>().Select(t => (t.TransactionId, t.Amount)));
    }

    [Fact]
    public void Objects_from_other_sources_read_long_amounts_and_eight_digit_timestamps_as_files_do()
    {
        var result = _shell.Run("""
            [pscustomobject]@{ transaction_id = '1'; customer_id = 'C1'; amount = '9001.50'; timestamp = '20240301' },
            [pscustomobject]@{ transaction_id = '2'; customer_id = 'C1'; amount = '9001.50'; timestamp = 20240301 },
            [pscustomobject]@{ transaction_id = '3'; customer_id = 'C1'; amount = '12345678901234567890.123456789012'; timestamp = '20240301' },
            [pscustomobject]@{ transaction_id = '4'; customer_id = 'C1'; amount = '9001.50'; timestamp = '20230229' } |
                Select-SuspiciousTransaction
            """);

        Assert.Equal(["InvalidAmount", "InvalidTimestamp"], result.ErrorIds);
        var midnight = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal([("1", midnight), ("2", midnight)], result.Objects<Transaction>().Select(t => (t.TransactionId, t.Timestamp!.Value)));
    }

    [Fact]
    public void An_amount_with_more_digits_than_decimal_holds_is_an_InvalidAmount_not_rounded()
    {
        var file = _temp.File("precise.csv", Header + "1,C1,12345678901234567890.123456789012\n2,C1,0.00000000000000000000000000001\n3,C1,79228162514264337593543950336\n4,C1,7922816251426433759354395033.5\n");

        var result = _shell.Run("Import-Transaction $file", new { file });

        Assert.Equal(["InvalidAmount", "InvalidAmount", "InvalidAmount"], result.ErrorIds);
        Assert.Equal("7922816251426433759354395033.5", result.Objects<Transaction>().Single().Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void An_eight_digit_timestamp_is_a_basic_iso_date_or_an_InvalidTimestamp_never_1970()
    {
        var file = _temp.File("basic.csv", "transaction_id,customer_id,amount,timestamp\n1,C1,5,20240301\n2,C1,5,20240229T101500Z\n3,C1,5,20230229\n4,C1,5,1709288430\n");

        var result = _shell.Run("Import-Transaction $file", new { file });

        Assert.Equal(["InvalidTimestamp"], result.ErrorIds);
        Assert.Equal(file + ":4", result.Errors[0].TargetObject);
        Assert.Equal(
            ["2024-03-01T00:00:00Z", "2024-02-29T10:15:00Z", "2024-03-01T10:20:30Z"],
            result.Objects<Transaction>().Select(t => t.Timestamp!.Value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_ColumnMap_key_that_is_no_field_stops_the_command()
    {
        var file = _temp.File("a.csv", Header + "1,C1,5\n");

        var result = _shell.Run("Import-Transaction $file -ColumnMap @{ Price = 'amount' }", new { file });

        Assert.Empty(result.Output);
        Assert.Equal(["InvalidColumnMapKey"], result.ErrorIds);
    }

    [Fact]
    public void Paths_of_other_providers_are_rejected()
    {
        var result = _shell.Run("Import-Transaction -LiteralPath 'Env:\\PATH'");

        Assert.Equal(["NotFileSystemPath"], result.ErrorIds);
    }

    public void Dispose() => _temp.Dispose();
}
