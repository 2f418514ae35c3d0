using System;
using System.Collections.Generic;
using AnomalyTools.Checkpoints;
using AnomalyTools.Sources.Csv;
using AnomalyTools.Sources.Files;
using AnomalyTools.Values;

namespace AnomalyTools
{
    /// <summary>
    /// One financial transaction, typed, with where it came from and, once a rule has flagged it, its findings.
    /// Immutable: a detector returns a flagged copy rather than changing the object it was given.
    /// </summary>
    public sealed class Transaction
    {
        private static readonly IReadOnlyList<Finding> s_noFindings = Array.Empty<Finding>();

        // A transaction read from a file keeps its text fields (ids, then attributes) as the file's UTF-8 and decodes each
        // when first asked for; the others are set at once. Threads that ask at the same time at worst decode twice.
        private readonly Utf8Fields _fields;
        private readonly AttributeSchema? _attributeSchema;
        private string? _transactionId;
        private string? _customerId;
        private AttributeMap? _attributes;

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
            _transactionId = transactionId;
            _customerId = customerId;
            Amount = amount;
            Timestamp = timestamp;
            _attributes = attributes ?? AttributeMap.Empty;
            Source = source;
            LineNumber = lineNumber;
            Findings = s_noFindings;
        }

        // Fields 0 and 1 are the transaction and customer ids, which the reader found not blank; the others the attributes.
        internal Transaction(Utf8Fields fields, AttributeSchema attributeSchema, decimal amount, DateTimeOffset? timestamp, string source, long lineNumber, InputFile? input)
        {
            _fields = fields;
            Input = input;
            _attributeSchema = attributeSchema;
            Amount = amount;
            Timestamp = timestamp;
            Source = source;
            LineNumber = lineNumber;
            Findings = s_noFindings;
        }

private Transaction(Transaction original, IReadOnlyList<Finding> findings, InputFile? input)
            : this(original, findings, input, original.Message, original.Source, original.LineNumber)
        {
        }

        private Transaction(Transaction original, IReadOnlyList<Finding> findings, InputFile? input, TopicMessage? message, string? source, long lineNumber)
        {
            _fields = original._fields;
            _attributeSchema = original._attributeSchema;
            _transactionId = original._transactionId;
            _customerId = original._customerId;
            _attributes = original._attributes;
            Amount = original.Amount;
            Timestamp = original.Timestamp;
            Source = source;
            LineNumber = lineNumber;
            Input = input;
            Message = message;
            Findings = findings;
        }

        /// <summary>The transaction's id.</summary>
        public string TransactionId => _transactionId ??= _fields.Decode(0);

        /// <summary>The customer's id.</summary>
        public string CustomerId => _customerId ??= _fields.Decode(1);

        /// <summary>The exact amount, with the scale it was written with (9622.80 stays 9622.80).</summary>
        public decimal Amount { get; }

        /// <summary>When the transaction happened, if the source said.</summary>
        public DateTimeOffset? Timestamp { get; }

        /// <summary>The source's other columns, by name, case-insensitively.</summary>
        public AttributeMap Attributes => _attributes ??= new AttributeMap(_attributeSchema!, _fields.DecodeFrom(2));

        /// <summary>Where the transaction came from: a file path, a Kafka message's <c>topic/partition@offset</c>, or a description of another source.</summary>
        public string? Source { get; }

        /// <summary>The 1-based line where its record starts in <see cref="Source"/>, or 0 when not from a file.</summary>
        public long LineNumber { get; }

        /// <summary>The Kafka message the transaction was read from; null for a transaction that was not read from a topic.</summary>
        public TopicMessage? Message { get; }

        /// <summary>
        /// The file the transaction was read from, as its reader saw it, which the sink's checkpoint records with
        /// <see cref="LineNumber"/>; null for a transaction that was not read from a file (a converted object), which no
        /// checkpoint covers.
        /// </summary>
        internal InputFile? Input { get; }

        /// <summary>Why rules flagged the transaction; empty when none did.</summary>
        public IReadOnlyList<Finding> Findings { get; }

        /// <summary>Whether any rule flagged the transaction.</summary>
        public bool IsSuspicious => Findings.Count > 0;

        /// <summary>A copy of this transaction that carries <paramref name="findings"/> instead of its own.</summary>
        public Transaction WithFindings(IReadOnlyList<Finding> findings)
        {
            if (findings is null) throw new ArgumentNullException(nameof(findings));
            return new Transaction(this, findings, Input);
        }

        /// <summary>
        /// A copy of this transaction as read from <paramref name="input"/>, at its <see cref="LineNumber"/>: for a source
        /// that builds transactions field by field rather than through <see cref="TransactionCsvReader"/>.
        /// </summary>
        internal Transaction ReadFrom(InputFile input) => new Transaction(this, Findings, input ?? throw new ArgumentNullException(nameof(input)));

        /// <summary>
        /// Where the transaction was read, which the sink's checkpoint records once its part commits: the file's line and
        /// fingerprint for one read from a file, the next offset of its partition for one read from a topic; null for a
        /// transaction that no checkpoint covers (a converted object). Made when asked for, so that reading makes none.
        /// </summary>
        internal SourcePosition? Position =>
            Message != null ? new PartitionOffset(Message.Topic, Message.Partition, Message.Offset + 1)
            : Input != null && LineNumber > 0 ? new FilePosition(Input.Path, LineNumber, Input.Fingerprint)
            : null;

        /// <summary>
        /// A copy of this transaction as read from <paramref name="message"/>: its <see cref="Source"/> is the message's
        /// position (<c>topic/partition@offset</c>), it has no line number and no file.
        /// </summary>
        internal Transaction ReadFrom(TopicMessage message) =>
            new Transaction(this, Findings, null, message ?? throw new ArgumentNullException(nameof(message)), message.Position, 0);

        /// <summary>The line the exercise wrote: <c>id, customer, amount</c>.</summary>
        public override string ToString() => Sinks.Formats.TextRecordFormatter.FormatLine(this);
    }
}
