namespace AnomalyTools.Sources
{
    /// <summary>The fields of a <see cref="Transaction"/> that come from columns of their own.</summary>
    public enum TransactionField
    {
        /// <summary>The transaction's id; required.</summary>
        TransactionId,

        /// <summary>The customer's id; required.</summary>
        CustomerId,

        /// <summary>The amount; required.</summary>
        Amount,

        /// <summary>When it happened; optional.</summary>
        Timestamp,
    }
}
