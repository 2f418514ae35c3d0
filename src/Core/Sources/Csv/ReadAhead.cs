using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace AnomalyTools.Sources.Csv
{
    /// <summary>
    /// Runs an enumeration on a thread of its own, a few batches ahead of the caller, who takes its items in order: how
    /// records are parsed while the caller's thread does work of its own, such as a PowerShell pipeline's.
    /// </summary>
    /// <remarks>
    /// Few items are ever in flight. When the caller is the slower one, the items waiting for it are what a garbage
    /// collection finds alive; thousands of them would be promoted to older generations at every collection, which cost
    /// a PowerShell pipeline a quarter of its time.
    /// </remarks>
    internal static class ReadAhead
    {
        public const int DefaultBatchSize = 256;
        public const int DefaultBatchesAhead = 8;

        /// <summary>
        /// The items of <paramref name="source"/>, in order, enumerated on another thread. What the enumeration throws is
        /// thrown here after the items before it. The source is enumerated and disposed on that thread only, and is done
        /// with by the time this enumeration ends or is disposed. Cancelling <paramref name="cancellationToken"/> ends the
        /// wait for the next batch with an <see cref="OperationCanceledException"/>; the source should watch the same
        /// token, so that its thread is not left in a long step.
        /// </summary>
        public static IEnumerable<T> Enumerate<T>(
            IEnumerable<T> source, CancellationToken cancellationToken = default, int batchSize = DefaultBatchSize, int batchesAhead = DefaultBatchesAhead)
        {
            if (source is null) throw new ArgumentNullException(nameof(source));
            return EnumerateIterator(source, cancellationToken, batchSize, batchesAhead);
        }

        private static IEnumerable<T> EnumerateIterator<T>(IEnumerable<T> source, CancellationToken cancellationToken, int batchSize, int batchesAhead)
        {
            var handOver = new HandOver<T>(batchesAhead);
            var producer = new Thread(() => Produce(source, batchSize, handOver)) { IsBackground = true, Name = "AnomalyTools read-ahead" };
            producer.Start();
            var cancellation = cancellationToken.Register(handOver.Stop);
            try
            {
                while (handOver.TryTake(out var batch))
                {
                    for (var i = 0; i < batch.Count; i++) yield return batch.Items[i];
                    handOver.Return(batch.Items);
                }
                cancellationToken.ThrowIfCancellationRequested();
                handOver.ThrowIfFailed();
            }
            finally
            {
                cancellation.Dispose();
                handOver.Stop();
                producer.Join();
            }
        }

        private static void Produce<T>(IEnumerable<T> source, int batchSize, HandOver<T> handOver)
        {
            var items = new T[batchSize];
            var count = 0;
            var stopped = false;
            ExceptionDispatchInfo? failure = null;
            try
            {
                foreach (var item in source)
                {
                    items[count++] = item;
                    if (count < batchSize) continue;
                    if (!handOver.TryAdd(new Batch<T>(items, count)))
                    {
                        stopped = true;
                        break;
                    }
                    items = handOver.Rent() ?? new T[batchSize];
                    count = 0;
                }
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
            // The items before a failure too.
            if (!stopped && count > 0) handOver.TryAdd(new Batch<T>(items, count));
            handOver.Complete(failure);
        }

        // A bounded queue of batches between the two threads. Each side sleeps until there is enough to do: the producer
        // until the queue is half empty, the caller until a batch is there, so that neither wakes the other per batch
        // when one of them is much the faster.
        private sealed class HandOver<T>
        {
            private readonly object _lock = new object();
            private readonly Queue<Batch<T>> _batches = new Queue<Batch<T>>();
            private readonly Stack<T[]> _spare = new Stack<T[]>();
            private readonly int _capacity;
            private bool _completed;
            private bool _stopped;
            private bool _producerWaiting;
            private bool _consumerWaiting;
            private ExceptionDispatchInfo? _failure;

            public HandOver(int capacity) => _capacity = capacity;

            // False when the caller stopped taking batches.
            public bool TryAdd(Batch<T> batch)
            {
                lock (_lock)
                {
                    while (_batches.Count >= _capacity && !_stopped)
                    {
                        _producerWaiting = true;
                        Monitor.Wait(_lock);
                    }
                    if (_stopped) return false;
                    _batches.Enqueue(batch);
                    if (_consumerWaiting)
                    {
                        _consumerWaiting = false;
                        Monitor.PulseAll(_lock);
                    }
                    return true;
                }
            }

            public T[]? Rent()
            {
                lock (_lock) return _spare.Count > 0 ? _spare.Pop() : null;
            }

            public bool TryTake(out Batch<T> batch)
            {
                lock (_lock)
                {
                    while (_batches.Count == 0 && !_completed && !_stopped)
                    {
                        _consumerWaiting = true;
                        Monitor.Wait(_lock);
                    }
                    if (_batches.Count == 0 || _stopped)
                    {
                        batch = default;
                        return false;
                    }
                    batch = _batches.Dequeue();
                    if (_producerWaiting && _batches.Count <= _capacity / 2)
                    {
                        _producerWaiting = false;
                        Monitor.PulseAll(_lock);
                    }
                    return true;
                }
            }

            // Cleared, so that the items taken can be collected.
            public void Return(T[] items)
            {
                Array.Clear(items, 0, items.Length);
                lock (_lock) _spare.Push(items);
            }

            public void ThrowIfFailed()
            {
                lock (_lock) _failure?.Throw();
            }

            public void Complete(ExceptionDispatchInfo? failure)
            {
                lock (_lock)
                {
                    _failure = failure;
                    _completed = true;
                    Monitor.PulseAll(_lock);
                }
            }

            public void Stop()
            {
                lock (_lock)
                {
                    _stopped = true;
                    Monitor.PulseAll(_lock);
                }
            }
        }

        private readonly struct Batch<T>
        {
            public Batch(T[] items, int count)
            {
                Items = items;
                Count = count;
            }

            public T[] Items { get; }

            public int Count { get; }
        }
    }
}
