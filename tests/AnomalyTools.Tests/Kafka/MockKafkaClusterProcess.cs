using System.Diagnostics;

namespace AnomalyTools.Tests.Kafka;

/// <summary>
/// The mock cluster in a process of its own (tests/KafkaMockCluster): it lives on while a pipeline process is killed.
/// Disposing closes its stdin, which ends it; it is killed if it does not end by itself.
/// </summary>
public sealed class MockKafkaClusterProcess : IDisposable
{
    private readonly Process _process;

    public MockKafkaClusterProcess(int brokers = 3)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(TestEnvironment.KafkaMockCluster);
        start.ArgumentList.Add(brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _process = Process.Start(start) ?? throw new InvalidOperationException("The mock cluster process did not start.");
        // librdkafka may write to stderr; reading it keeps the pipe from filling.
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        var firstLine = _process.StandardOutput.ReadLineAsync();
        if (!firstLine.Wait(TimeSpan.FromSeconds(60)) || string.IsNullOrEmpty(firstLine.Result))
        {
            Kill();
            throw new InvalidOperationException("The mock cluster process printed no bootstrap servers.");
        }
        BootstrapServers = firstLine.Result;
    }

    /// <summary>The brokers' addresses, as <c>bootstrap.servers</c> takes them.</summary>
    public string BootstrapServers { get; }

    /// <summary>Whether the cluster's process still runs.</summary>
    public bool IsRunning => !_process.HasExited;

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(30))) Kill();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Already ended.
        }
    }
}
