namespace AnomalyTools.Sources
{
    /// <summary>What reading one record gave: a transaction, or the error that kept it from being one.</summary>
    public readonly struct ImportResult
    {
        /// <summary>A record that was read.</summary>
        public ImportResult(Transaction transaction)
        {
            Transaction = transaction;
            Error = null;
        }

        /// <summary>A record or file that could not be read.</summary>
        public ImportResult(ImportError error)
        {
            Transaction = null;
            Error = error;
        }

        /// <summary>The transaction, or null when <see cref="Error"/> is set.</summary>
        public Transaction? Transaction { get; }

        /// <summary>The error, or null when <see cref="Transaction"/> is set.</summary>
        public ImportError? Error { get; }
    }
}
