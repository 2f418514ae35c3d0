using System.Management.Automation;
using System.Text;
using Xunit;

namespace AnomalyTools.Tests;

/// <summary>Waits for conditions, never for fixed times: a deadline generous enough for a slow machine.</summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static void Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Waited {Deadline.TotalSeconds} s for {what}.");
            Thread.Sleep(20);
        }
    }
}

/// <summary>Appends to a file as a live feed's writer does: each call one write, visible to readers at once.</summary>
internal static class Feed
{
    public static void Append(string path, string text, Encoding? encoding = null)
    {
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        stream.Write((encoding ?? new UTF8Encoding(false)).GetBytes(text));
    }
}

/// <summary>A pipeline running in the hosted engine without being waited for, as a -Wait pipeline runs until stopped.</summary>
public sealed class LivePipeline : IDisposable
{
    private readonly PowerShell _powerShell;
    private readonly PSDataCollection<PSObject> _output = [];
    private readonly List<PSObject> _received = [];
    private readonly IAsyncResult _invocation;

    internal LivePipeline(PowerShell powerShell)
    {
        _powerShell = powerShell;
        _output.DataAdded += (_, e) =>
        {
            lock (_received) _received.Add(_output[e.Index]);
        };
        _invocation = _powerShell.BeginInvoke<PSObject, PSObject>(null, _output);
    }

    public PSObject[] Output
    {
        get
        {
            lock (_received) return [.. _received];
        }
    }

    public Transaction[] Transactions => Output.Select(o => (Transaction)o.BaseObject).ToArray();

    public string[] Warnings => Snapshot(_powerShell.Streams.Warning).Select(w => w.Message).ToArray();

    public string[] ErrorIds => Snapshot(_powerShell.Streams.Error).Select(e => e.FullyQualifiedErrorId.Split(',')[0]).ToArray();

    public bool Completed => _invocation.IsCompleted;

    /// <summary>Stops the pipeline as Ctrl+C does, and waits until every command has finished stopping.</summary>
    public void Stop() => _powerShell.Stop();

    /// <summary>Waits for the pipeline to end by itself; a terminating error is thrown.</summary>
    public void WaitForEnd()
    {
        Assert.True(_invocation.AsyncWaitHandle.WaitOne(Eventually.Deadline), "the pipeline did not end");
        _powerShell.EndInvoke(_invocation);
    }

    public void Dispose()
    {
        if (!_invocation.IsCompleted) _powerShell.Stop();
        _powerShell.Dispose();
    }

    // Items are only ever added, so what Count saw can be read by index while the pipeline goes on.
    private static T[] Snapshot<T>(PSDataCollection<T> collection) => Enumerable.Range(0, collection.Count).Select(i => collection[i]).ToArray();
}
