using System.Collections.Concurrent;
using AnomalyTools.Sources.Csv;
using Xunit;

namespace AnomalyTools.Tests.Core;

public class ReadAheadTests
{
    [Fact]
    public void Items_come_in_order_across_many_batches_and_a_last_partial_one()
    {
        var items = ReadAhead.Enumerate(Enumerable.Range(0, 10_007), batchSize: 16, batchesAhead: 3).ToList();

        Assert.Equal(Enumerable.Range(0, 10_007), items);
    }

    [Fact]
    public void What_the_source_throws_comes_after_the_items_before_it()
    {
        static IEnumerable<int> FailingAfter(int count)
        {
            for (var i = 0; i < count; i++) yield return i;
            throw new InvalidDataException("record too large");
        }
        var taken = new List<int>();

        var thrown = Assert.Throws<InvalidDataException>(() =>
        {
            foreach (var item in ReadAhead.Enumerate(FailingAfter(1000), batchSize: 64, batchesAhead: 2)) taken.Add(item);
        });

        Assert.Equal("record too large", thrown.Message);
        Assert.Equal(Enumerable.Range(0, 1000), taken);
    }

    [Fact]
    public void The_source_runs_on_another_thread_and_is_disposed_there_before_the_caller_goes_on()
    {
        var callerThread = Environment.CurrentManagedThreadId;
        var threads = new ConcurrentBag<int>();
        var disposed = false;
        IEnumerable<int> Source()
        {
            try
            {
                for (var i = 0; ; i++)
                {
                    threads.Add(Environment.CurrentManagedThreadId);
                    yield return i;
                }
            }
            finally
            {
                threads.Add(Environment.CurrentManagedThreadId);
                disposed = true;
            }
        }

        var firstTen = ReadAhead.Enumerate(Source(), batchSize: 8, batchesAhead: 2).Take(10).ToList();

        Assert.Equal(Enumerable.Range(0, 10), firstTen);
        Assert.True(disposed, "the endless source was not stopped when the caller stopped taking items");
        Assert.DoesNotContain(callerThread, threads);
        Assert.Single(threads.Distinct());
    }

    [Fact]
    public void A_slow_caller_holds_only_a_few_batches_in_flight()
    {
        const int BatchSize = 32;
        const int BatchesAhead = 4;
        long produced = 0;
        IEnumerable<int> Source()
        {
            for (var i = 0; i < 5_000; i++)
            {
                Interlocked.Increment(ref produced);
                yield return i;
            }
        }
        long consumed = 0;
        long mostInFlight = 0;

        foreach (var _ in ReadAhead.Enumerate(Source(), batchSize: BatchSize, batchesAhead: BatchesAhead))
        {
            consumed++;
            if (consumed % 100 == 0) Thread.Sleep(1);
            mostInFlight = Math.Max(mostInFlight, Interlocked.Read(ref produced) - consumed);
        }

        Assert.Equal(5_000, consumed);
        // The queued batches, the one being taken from and the one being filled.
        Assert.InRange(mostInFlight, BatchSize, (BatchesAhead + 2) * BatchSize);
    }
}
