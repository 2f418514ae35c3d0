using System;
using System.Collections.Generic;

namespace AnomalyTools
{
    /// <summary>
    /// One financial transaction, typed, with where it came from and, once a rule has flagged it, its findings.
    /// Immutable: a detector returns a flagged copy rather than changing the object it was given.
    /// </summary>
    public sealed class Transaction
    {
        private static readonly IReadOnlyList<Finding> s_noFindings = Array.Empty<Finding>();

        /// <summary>Creates a transaction.</summary>
        /// <param name="transactionId">The transaction's id; required.</param>
        /// <param name="customerId">The customer's id; required.</param>
        /// <param name="amount">The exact amount.</param>
        /// <param name="timestamp">When it happened, if known.</param>
        /// <param name="attributes">The source's other columns; empty when null.</param>
        /// <param name="source">Where it came from: a file path or a description of another source.</param>
        /// <param name="lineNumber">The 1-based line where its record starts in <paramref name="source"/>, or 0.</param>
        public Transaction(
            string transactionId,
            string customerId,
            decimal amount,
            DateTimeOffset? timestamp = null,
            AttributeMap? attributes = null,
            string? source = null,
            long lineNumber = 0)
        {
            if (string.IsNullOrWhiteSpace(transactionId)) throw new ArgumentException("A transaction id is required.", nameof(transactionId));
            if (string.IsNullOrWhiteSpace(customerId)) throw new ArgumentException("A customer id is required.", nameof(customerId));
            TransactionId = transactionId;
            CustomerId = customerId;
            Amount = amount;
            Timestamp = timestamp;
            Attributes = attributes ?? AttributeMap.Empty;
            Source = source;
            LineNumber = lineNumber;
            Findings = s_noFindings;
        }

        private Transaction(Transaction original, IReadOnlyList<Finding> findings)
        {
            TransactionId = original.TransactionId;
            CustomerId = original.CustomerId;
            Amount = original.Amount;
            Timestamp = original.Timestamp;
            Attributes = original.Attributes;
            Source = original.Source;
            LineNumber = original.LineNumber;
            Findings = findings;
        }

        /// <summary>The transaction's id.</summary>
        public string TransactionId { get; }

        /// <summary>The customer's id.</summary>
        public string CustomerId { get; }

        /// <summary>The exact amount, with the scale it was written with (9622.80 stays 9622.80).</summary>
        public decimal Amount { get; }

        /// <summary>When the transaction happened, if the source said.</summary>
        public DateTimeOffset? Timestamp { get; }

        /// <summary>The source's other columns, by name, case-insensitively.</summary>
        public AttributeMap Attributes { get; }

        /// <summary>Where the transaction came from: a file path, or a description of another source.</summary>
        public string? Source { get; }

        /// <summary>The 1-based line where its record starts in <see cref="Source"/>, or 0 when not from a file.</summary>
        public long LineNumber { get; }

        /// <summary>Why rules flagged the transaction; empty when none did.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <summary>Whether any rule flagged the transaction.</summary>
        public bool IsSuspicious => Findings.Count > 0;

        /// <summary>A copy of this transaction that carries <paramref name="findings"/> instead of its own.</summary>
        public Transaction WithFindings(IReadOnlyList<Finding> findings)
        {
            if (findings is null) throw new ArgumentNullException(nameof(findings));
            return new Transaction(this, findings);
        }

        /// <summary>The line the exercise wrote: <c>id, customer, amount</c>.</summary>
        public override string ToString() => Sink.TextRecordFormatter.FormatLine(this);
    }
}
