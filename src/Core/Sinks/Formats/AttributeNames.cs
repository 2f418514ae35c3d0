using System.Collections.Generic;
using AnomalyTools.Sources;

namespace AnomalyTools.Sinks.Formats
{
    /// <summary>
    /// The attribute names a format writes for a schema: unique, ignoring case, among themselves and with the format's
    /// own names, renamed as the importer renames a column named twice (<c>Source_2</c>). Records of one source share
    /// their schema, so the names are worked out once for a run of records.
    /// </summary>
    internal sealed class AttributeNames
    {
        private readonly IReadOnlyCollection<string> _reserved;
        private Entry? _last;

        public AttributeNames(IReadOnlyCollection<string> reserved)
        {
            _reserved = reserved;
        }

        public IReadOnlyList<string> Of(AttributeSchema schema)
        {
            var last = _last;
            if (last != null && ReferenceEquals(last.Schema, schema)) return last.Names;
            var names = ColumnMap.MakeUnique(schema.Names, _reserved);
            _last = new Entry(schema, names);
            return names;
        }

        private sealed class Entry
        {
            public Entry(AttributeSchema schema, IReadOnlyList<string> names)
            {
                Schema = schema;
                Names = names;
            }

            public AttributeSchema Schema { get; }

            public IReadOnlyList<string> Names { get; }
        }
    }
}
