using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;

namespace AnomalyTools.Sources
{
    /// <summary>
    /// Which columns hold the transaction's fields. By default a column is matched by its name, ignoring case,
    /// <c>_</c>, <c>-</c> and spaces (<c>transaction_id</c>, <c>TransactionId</c>, <c>Transaction ID</c>);
    /// a field can be given a column name of its own instead.
    /// </summary>
    public sealed class ColumnMap
    {
        /// <summary>Matches every field by name.</summary>
        public static readonly ColumnMap Default = new ColumnMap(new Dictionary<TransactionField, string>());

        private static readonly TransactionField[] s_fields = (TransactionField[])Enum.GetValues(typeof(TransactionField));
        private readonly IReadOnlyDictionary<TransactionField, string> _explicitColumns;

        /// <summary>Creates a map in which each field of <paramref name="explicitColumns"/> is read from the column named there.</summary>
        public ColumnMap(IReadOnlyDictionary<TransactionField, string> explicitColumns)
        {
            if (explicitColumns is null) throw new ArgumentNullException(nameof(explicitColumns));
            // A copy: the map is read while files are read, on another thread, whatever becomes of the caller's dictionary.
            _explicitColumns = explicitColumns.ToDictionary(pair => pair.Key, pair => pair.Value);
        }

        /// <summary>Whether <paramref name="field"/> must have a column.</summary>
        public static bool IsRequired(TransactionField field) => field != TransactionField.Timestamp;

        /// <summary>A column name as it is matched: lower case, without <c>_</c>, <c>-</c> and white space.</summary>
        public static string Normalize(string name)
        {
            var builder = new StringBuilder(name.Length);
            foreach (var c in name)
            {
                if (c == '_' || c == '-' || char.IsWhiteSpace(c)) continue;
                builder.Append(char.ToLowerInvariant(c));
            }
            return builder.ToString();
        }

        /// <summary>The column name that <paramref name="field"/> is read from, as the user sees it.</summary>
        public string ColumnNameOf(TransactionField field) =>
            _explicitColumns.TryGetValue(field, out var name) ? name : s_defaultNames[(int)field];

        private static readonly string[] s_defaultNames = { "transaction_id", "customer_id", "amount", "timestamp" };

        /// <summary>
        /// Finds the field columns in <paramref name="header"/>; every other column becomes an attribute. A name that
        /// comes again (ignoring case) is renamed, as <c>merchant_2</c>, so that every column can be found by its name.
        /// </summary>
        public ColumnBinding Bind(IReadOnlyList<string> header) => Bind(header, CancellationToken.None);

        /// <summary>As <see cref="Bind(IReadOnlyList{string})"/>, in time linear in the header's length, stopping when <paramref name="cancellationToken"/> is cancelled.</summary>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        public ColumnBinding Bind(IReadOnlyList<string> header, CancellationToken cancellationToken)
        {
            var renamed = new List<RenamedColumn>();
            header = RenameDuplicates(header, renamed, cancellationToken);
            var indexes = new int[s_fields.Length];
            var missing = new List<TransactionField>();
            var ambiguous = new List<AmbiguousColumn>();
            foreach (var field in s_fields)
            {
                indexes[(int)field] = FindColumn(header, field, ambiguous);
                if (indexes[(int)field] < 0 && (IsRequired(field) || _explicitColumns.ContainsKey(field)))
                {
                    missing.Add(field);
                }
            }

            var attributeColumns = Enumerable.Range(0, header.Count).Where(i => !indexes.Contains(i)).ToArray();
            var schema = new AttributeSchema(attributeColumns.Select(i => header[i]).ToArray());
            return new ColumnBinding(indexes, attributeColumns, schema, missing, renamed, ambiguous);
        }

        private static IReadOnlyList<string> RenameDuplicates(IReadOnlyList<string> header, List<RenamedColumn> renamed, CancellationToken cancellationToken) =>
            MakeUnique(header, Array.Empty<string>(), renamed, cancellationToken);

        /// <summary>
        /// <paramref name="names"/> made unique, ignoring case, among themselves and with <paramref name="reserved"/>
        /// (names a header already has, never renamed): a name taken before is renamed <c>merchant_2</c> (<c>_3</c>, ...
        /// as needed, never a name of the header); <paramref name="names"/> itself when nothing was renamed.
        /// </summary>
        internal static IReadOnlyList<string> MakeUnique(
            IReadOnlyList<string> names,
            IReadOnlyCollection<string> reserved,
            List<RenamedColumn>? renamed = null,
            CancellationToken cancellationToken = default)
        {
            var taken = new HashSet<string>(reserved, StringComparer.OrdinalIgnoreCase);
            var reservedCount = taken.Count;
            taken.UnionWith(names);
            if (taken.Count == reservedCount + names.Count) return names;
            var seen = new HashSet<string>(reserved, StringComparer.OrdinalIgnoreCase);
            // The next suffix to try for each name: trying from _2 again for every copy of a name took time quadratic in the
            // copies, minutes for a hostile header.
            var nextSuffix = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var unique = names.ToArray();
            for (var i = 0; i < unique.Length; i++)
            {
                if ((i & 0xFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                if (seen.Add(unique[i])) continue;
                var suffix = nextSuffix.TryGetValue(unique[i], out var next) ? next : 2;
                string candidate;
                do
                {
                    candidate = unique[i] + "_" + suffix++.ToString(CultureInfo.InvariantCulture);
                }
                while (!taken.Add(candidate));
                nextSuffix[unique[i]] = suffix;
                renamed?.Add(new RenamedColumn(unique[i], i + 1, candidate));
                unique[i] = candidate;
                seen.Add(candidate);
            }
            return unique;
        }

        // The first column that matches the field; every later one that matches too is noted, since reading the first is
        // a choice the user should know of.
        private int FindColumn(IReadOnlyList<string> header, TransactionField field, List<AmbiguousColumn> ambiguous)
        {
            var wanted = Normalize(_explicitColumns.TryGetValue(field, out var name) ? name : field.ToString());
            var found = -1;
            for (var i = 0; i < header.Count; i++)
            {
                if (Normalize(header[i]) != wanted) continue;
                if (found < 0) found = i;
                else ambiguous.Add(new AmbiguousColumn(field, header[found], found + 1, header[i], i + 1));
            }
            return found;
        }
    }

    /// <summary>Where a header's columns go: the index of each field's column and the attribute columns.</summary>
    public sealed class ColumnBinding
    {
        private readonly int[] _fieldIndexes;

        internal ColumnBinding(
            int[] fieldIndexes,
            int[] attributeColumns,
            AttributeSchema attributes,
            IReadOnlyList<TransactionField> missing,
            IReadOnlyList<RenamedColumn> renamed,
            IReadOnlyList<AmbiguousColumn> ambiguous)
        {
            Ambiguous = ambiguous;
            Renamed = renamed;
            _fieldIndexes = fieldIndexes;
            AttributeColumns = attributeColumns;
            Attributes = attributes;
            Missing = missing;
        }

        /// <summary>The index of the column of <paramref name="field"/>, or -1 when the header has none.</summary>
        public int IndexOf(TransactionField field) => _fieldIndexes[(int)field];

        /// <summary>The indexes of the columns that are attributes, in header order.</summary>
        public IReadOnlyList<int> AttributeColumns { get; }

        /// <summary>The columns whose names came again in the header, and what they were renamed to.</summary>
        public IReadOnlyList<RenamedColumn> Renamed { get; }

        /// <summary>The columns that match a field whose column was found earlier in the header, read as attributes.</summary>
        public IReadOnlyList<AmbiguousColumn> Ambiguous { get; }

        /// <summary>The names of the attribute columns.</summary>
        public AttributeSchema Attributes { get; }

        /// <summary>The required (or explicitly mapped) fields that have no column.</summary>
        public IReadOnlyList<TransactionField> Missing { get; }
    }

    /// <summary>A header column that matches a field whose column came earlier in the header.</summary>
    public sealed class AmbiguousColumn
    {
        internal AmbiguousColumn(TransactionField field, string column, int position, string other, int otherPosition)
        {
            Field = field;
            Column = column;
            Position = position;
            Other = other;
            OtherPosition = otherPosition;
        }

        /// <summary>The field both columns match.</summary>
        public TransactionField Field { get; }

        /// <summary>The column the field is read from.</summary>
        public string Column { get; }

        /// <summary>Its 1-based position in the header.</summary>
        public int Position { get; }

        /// <summary>The later column that matches the field too, read as an attribute.</summary>
        public string Other { get; }

        /// <summary>Its 1-based position in the header.</summary>
        public int OtherPosition { get; }
    }

    /// <summary>A header column renamed because its name came earlier in the header too.</summary>
    public sealed class RenamedColumn
    {
        internal RenamedColumn(string name, int position, string newName)
        {
            Name = name;
            Position = position;
            NewName = newName;
        }

        /// <summary>The name in the header.</summary>
        public string Name { get; }

        /// <summary>The column's 1-based position in the header.</summary>
        public int Position { get; }

        /// <summary>The name it is read by.</summary>
        public string NewName { get; }
    }
}
