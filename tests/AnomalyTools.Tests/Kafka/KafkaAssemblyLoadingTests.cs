using Xunit;

namespace AnomalyTools.Tests.Kafka;

public sealed class KafkaAssemblyLoadingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public void Writing_part_files_loads_neither_AnomalyTools_Kafka_nor_Confluent_Kafka()
    {
        var data = Path.Combine(TestEnvironment.RepoRoot, "data", "data.csv");
        var (_, output, _) = ShellProcess.RunFrom(TestEnvironment.Pwsh, _temp.Path, "-NoProfile", "-NonInteractive", "-Command",
            $"Import-Module '{TestEnvironment.ModuleManifest}'; " +
            $"Import-Transaction '{data}' -ErrorAction SilentlyContinue | Select-SuspiciousTransaction | Export-SuspiciousTransaction ./out; " +
            "$names = [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name; " +
            "Test-Path ./out/part-0-00000; $names -contains 'AnomalyTools.Core'; $names -contains 'AnomalyTools.Kafka'; $names -contains 'Confluent.Kafka'");

        Assert.Equal("True\nTrue\nFalse\nFalse\n", output);
    }

    public void Dispose() => _temp.Dispose();
}
