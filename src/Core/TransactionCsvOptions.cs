using System.Globalization;

namespace AnomalyTools
{
    /// <summary>How a transactions CSV file is read.</summary>
    public sealed class TransactionCsvOptions
    {
        /// <summary>The field delimiter; a comma by default. Must be an ASCII character other than the double quote.</summary>
        public char Delimiter { get; set; } = ',';

        /// <summary>The culture of the amounts; null (the default) for the invariant culture.</summary>
        public CultureInfo? Culture { get; set; }

        /// <summary>Which columns hold the transaction's fields.</summary>
        public ColumnMap Columns { get; set; } = ColumnMap.Default;
    }
}
