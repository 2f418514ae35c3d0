using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace AnomalyTools
{
    /// <summary>
    /// The columns of a record that are not one of the transaction's own fields, by name, case-insensitively, read-only.
    /// The names are shared by every record of a file (<see cref="AttributeSchema"/>); a record holds only its values.
    /// Implements the non-generic <see cref="IDictionary"/> too, so that PowerShell's <c>$t.Attributes.merchant</c> works.
    /// </summary>
    public sealed class AttributeMap : IReadOnlyDictionary<string, string>, IDictionary
    {
        /// <summary>A map with no attributes.</summary>
        public static readonly AttributeMap Empty = new AttributeMap(AttributeSchema.Empty, Array.Empty<string>());

        private readonly string[] _values;

        /// <summary>Creates a map of <paramref name="values"/>, one a name of <paramref name="schema"/>, in its order.</summary>
        public AttributeMap(AttributeSchema schema, string[] values)
        {
            Schema = schema ?? throw new ArgumentNullException(nameof(schema));
            _values = values ?? throw new ArgumentNullException(nameof(values));
            if (values.Length != schema.Names.Count)
            {
                throw new ArgumentException("There must be one value for each name of the schema.", nameof(values));
            }
        }

        /// <summary>The names, shared with the other records of the same source.</summary>
        public AttributeSchema Schema { get; }

        /// <summary>The value of the attribute <paramref name="key"/>; throws when there is none.</summary>
        public string this[string key] =>
            TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No attribute is named '{key}'.");

        /// <summary>The value at <paramref name="index"/>, in the order of <see cref="AttributeSchema.Names"/>.</summary>
        public string ValueAt(int index) => _values[index];

        /// <inheritdoc />
        public IEnumerable<string> Keys => Schema.Names;

        /// <inheritdoc />
        public IEnumerable<string> Values => _values;

        /// <inheritdoc />
        public int Count => _values.Length;

        /// <inheritdoc />
        public bool ContainsKey(string key) => Schema.IndexOf(key) >= 0;

        /// <inheritdoc />
        public bool TryGetValue(string key, out string value)
        {
            var index = Schema.IndexOf(key);
            value = index >= 0 ? _values[index] : string.Empty;
            return index >= 0;
        }

        /// <inheritdoc />
        public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
        {
            for (var i = 0; i < _values.Length; i++)
            {
                yield return new KeyValuePair<string, string>(Schema.Names[i], _values[i]);
            }
        }

        /// <inheritdoc />
        public override string ToString() => string.Join("; ", this.Select(pair => pair.Key + "=" + pair.Value));

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        object? IDictionary.this[object key]
        {
            get => key is string name && TryGetValue(name, out var value) ? value : null;
            set => throw ReadOnly();
        }

        ICollection IDictionary.Keys => Schema.Names.ToArray();

        ICollection IDictionary.Values => (string[])_values.Clone();

        bool IDictionary.IsReadOnly => true;

        bool IDictionary.IsFixedSize => true;

        bool ICollection.IsSynchronized => false;

        object ICollection.SyncRoot => this;

        bool IDictionary.Contains(object key) => key is string name && ContainsKey(name);

        void IDictionary.Add(object key, object? value) => throw ReadOnly();

        void IDictionary.Clear() => throw ReadOnly();

        void IDictionary.Remove(object key) => throw ReadOnly();

        IDictionaryEnumerator IDictionary.GetEnumerator() =>
            this.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase).GetEnumerator();

        void ICollection.CopyTo(Array array, int index)
        {
            foreach (var pair in this)
            {
                array.SetValue(new DictionaryEntry(pair.Key, pair.Value), index++);
            }
        }

        private static NotSupportedException ReadOnly() => new NotSupportedException("Attributes are read-only.");
    }

    /// <summary>The attribute names of a source, in column order, with a case-insensitive index.</summary>
    public sealed class AttributeSchema
    {
        /// <summary>A schema with no names.</summary>
        public static readonly AttributeSchema Empty = new AttributeSchema(Array.Empty<string>());

        private readonly Dictionary<string, int> _index;

        /// <summary>Creates a schema. A name that comes again is found at its first position.</summary>
        public AttributeSchema(IReadOnlyList<string> names)
        {
            Names = names ?? throw new ArgumentNullException(nameof(names));
            _index = new Dictionary<string, int>(names.Count, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < names.Count; i++)
            {
                if (!_index.ContainsKey(names[i])) _index.Add(names[i], i);
            }
        }

        /// <summary>The names, in column order.</summary>
        public IReadOnlyList<string> Names { get; }

        /// <summary>The position of <paramref name="name"/>, ignoring case, or -1.</summary>
        public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

        /// <summary>Whether <paramref name="other"/> has the same names in the same order.</summary>
        public bool HasSameNames(AttributeSchema other) =>
            ReferenceEquals(this, other) || Names.SequenceEqual(other.Names, StringComparer.Ordinal);
    }
}
