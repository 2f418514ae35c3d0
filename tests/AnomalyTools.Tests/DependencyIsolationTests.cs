using AnomalyTools.Tests.Kafka;
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

    [Fact]
    public void A_session_that_reads_files_never_loads_the_Kafka_assembly_Confluent_Kafka_nor_librdkafka()
    {
        _temp.File("data.csv", "transaction_id,customer_id,amount\n1,C1,9000.50\n");

        var (exitCode, output, error) = ShellProcess.Run(_temp.Path, "-Command",
            "Import-Transaction ./data.csv | Select-SuspiciousTransaction | Export-SuspiciousTransaction ./out; " +
            "'assemblies: ' + (([AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name } | Where-Object { $_ -like '*Kafka*' }) -join ','); " +
            "'librdkafka mapped: ' + [bool](Get-Content /proc/self/maps | Select-String -SimpleMatch librdkafka)");

        Assert.Equal("", error);
        Assert.Equal(0, exitCode);
        Assert.Equal(["assemblies: ", "librdkafka mapped: False"], output.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void A_Kafka_pipeline_loads_Confluent_Kafka_into_the_module_context_and_librdkafka_from_the_module_folder()
    {
        using var cluster = new MockKafkaCluster();
        cluster.Produce("isolated", [("C1", "{\"transaction_id\":\"1\",\"customer_id\":\"C1\",\"amount\":9000.50}")]);

        var (exitCode, output, error) = ShellProcess.Run(_temp.Path, "-Command",
            $"Import-Transaction -BootstrapServer '{cluster.BootstrapServers}' -Topic isolated -GroupId g -StopAtEnd | ForEach-Object TransactionId; " +
            "$kafka = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Confluent.Kafka' }; " +
            "'in the default context: ' + ([Runtime.Loader.AssemblyLoadContext]::GetLoadContext($kafka) -eq [Runtime.Loader.AssemblyLoadContext]::Default); " +
            "'visible by name: ' + ($null -ne [Type]::GetType('Confluent.Kafka.ConsumerConfig, Confluent.Kafka')); " +
            "'from the module: ' + $kafka.Location.StartsWith((Get-Module AnomalyTools).ModuleBase); " +
            // librdkafka.so, or the build Confluent.Kafka falls back to where that one cannot load (centos8-, alpine-).
            "'librdkafka from the module: ' + [bool](Get-Content /proc/self/maps | Select-String -Pattern ([regex]::Escape((Get-Module AnomalyTools).ModuleBase) + '/net8.0/Dependencies/runtimes/linux-[a-z0-9]+/native/[a-z0-9-]*librdkafka\\.so'))");

        Assert.Equal("", error);
        Assert.Equal(0, exitCode);
        Assert.Equal(["1", "in the default context: False", "visible by name: False", "from the module: True", "librdkafka from the module: True"], output.TrimEnd('\n').Split('\n'));
    }

    public void Dispose() => _temp.Dispose();
}
