using Xunit;

namespace AnomalyTools.Tests;

/// <summary>
/// A session that already holds another CsvHelper, as after importing another module that ships one. The Shell hosts
/// PowerShell as pwsh does, without the module's assemblies on its own path, so the module loads them as it would there.
/// </summary>
public class DependencyIsolationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void The_module_works_beside_another_CsvHelper_version_and_leaves_that_one_alone()
    {
        _temp.File("data.csv", "transaction_id,customer_id,amount\n1,C1,9000.50\n2,C2,12.00\n3,C1,8000.01\n");

        var (exitCode, output, error) = ShellProcess.Run(_temp.Path, "-Command",
            $"$other = [Reflection.Assembly]::LoadFrom('{TestEnvironment.OtherCsvHelper.Replace("'", "''")}'); " +
            "Import-Transaction ./data.csv | Select-SuspiciousTransaction | " +
            "Export-SuspiciousTransaction ./out -PassThru | ForEach-Object { $_.TransactionId + ' ' + ($_ -is [AnomalyTools.Transaction]) }; " +
            "$loaded = [string[]]([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'CsvHelper' } | " +
            "ForEach-Object { 'CsvHelper ' + $_.GetName().Version.Major }); [Array]::Sort($loaded); $loaded; " +
            "'other still usable: ' + ($null -ne $other.GetType('CsvHelper.CsvReader'))");

        Assert.Equal("", error);
        Assert.Equal(0, exitCode);
        Assert.Equal(
            ["1 True", "3 True", "CsvHelper 30", "CsvHelper 34", "other still usable: True"],
            output.TrimEnd('\n').Split('\n'));
        Assert.Equal("1, C1, 9000.50\n3, C1, 8000.01\n", File.ReadAllText(_temp.Combine("out", "part-0-00000")));
    }

    public void Dispose() => _temp.Dispose();
}
