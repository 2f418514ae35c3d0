using System;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace AnomalyTools.Commands
{
    /// <summary>
    /// What the cmdlets of the pipeline running in each runspace have made known to each other, such as the folders an
    /// export writes. A runspace runs one pipeline at a time (nested ones run inside it), so the runspace stands for the
    /// pipeline.
    /// </summary>
    internal sealed class RunspaceRegistry<T>
    {
        private static readonly object s_noRunspace = new object();
        private readonly object _lock = new object();
        private readonly ConditionalWeakTable<object, List<T>> _entries = new ConditionalWeakTable<object, List<T>>();

        private static object Key => (object?)Runspace.DefaultRunspace ?? s_noRunspace;

        /// <summary>Makes <paramref name="entry"/> known in this runspace until the result is disposed.</summary>
        public IDisposable Register(T entry)
        {
            var entries = _entries.GetValue(Key, _ => new List<T>());
            lock (_lock) entries.Add(entry);
            return new Registration(this, entries, entry);
        }

        /// <summary>The entries registered in this runspace now.</summary>
        public T[] Registered()
        {
            if (!_entries.TryGetValue(Key, out var entries)) return Array.Empty<T>();
            lock (_lock) return entries.ToArray();
        }

        private sealed class Registration : IDisposable
        {
            private readonly RunspaceRegistry<T> _registry;
            private readonly List<T> _entries;
            private readonly T _entry;
            private bool _disposed;

            public Registration(RunspaceRegistry<T> registry, List<T> entries, T entry)
            {
                _registry = registry;
                _entries = entries;
                _entry = entry;
            }

            public void Dispose()
            {
                lock (_registry._lock)
                {
                    if (_disposed) return;
                    _disposed = true;
                    _entries.Remove(_entry);
                }
            }
        }
    }
}
