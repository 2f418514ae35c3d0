using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AnomalyTools.Sources.Files;
using Confluent.Kafka;

namespace AnomalyTools.Kafka
{
    /// <summary>
    /// Where an alert's transaction came from, as the headers of its message give it, and the alert's stable id: the same
    /// input row gives the same id in every run, so that consumers can drop the duplicates that a crash and a resume
    /// produce (the sink delivers at least once).
    /// </summary>
    internal sealed class AlertOrigin
    {
        /// <summary>Header: the alert's stable id, 32 lowercase hex digits.</summary>
        public const string AlertIdHeader = "alert-id";

        /// <summary>Header: the transaction's <see cref="Transaction.Source"/> (a file's full path), when it has one.</summary>
        public const string SourceHeader = "source";

        /// <summary>Header: the line of the file where the transaction's record starts, in decimal, when it has one.</summary>
        public const string LineHeader = "line";

        /// <summary>Header: the SHA-256 (lowercase hex) of the input file's first bytes, as its checkpoint records it.</summary>
        public const string FingerprintHeader = "source-fingerprint";

        private AlertOrigin(Transaction transaction)
        {
            Transaction = transaction;
            Input = transaction.Input;
            AlertId = IdOf(Input is null ? "object" : "file", transaction.Source ?? string.Empty, transaction.LineNumber, transaction.TransactionId);
        }

        /// <summary>The transaction.</summary>
        public Transaction Transaction { get; }

        /// <summary>The file the transaction was read from, whose position the sink tracks; null for a converted object.</summary>
        public InputFile? Input { get; }

        /// <summary>
        /// The stable id: a hash of the kind of input, the source, the line and the transaction id. Not the file's
        /// fingerprint: a file that grows has another fingerprint each run while it is shorter than what is fingerprinted.
        /// </summary>
        public string AlertId { get; }

        /// <summary>The origin of <paramref name="transaction"/>.</summary>
        public static AlertOrigin Of(Transaction transaction) => new AlertOrigin(transaction ?? throw new ArgumentNullException(nameof(transaction)));

        /// <summary>The message headers: the stable id, then the source, line and fingerprint that the transaction has.</summary>
        public Headers ToHeaders()
        {
            var headers = new Headers { { AlertIdHeader, Encoding.UTF8.GetBytes(AlertId) } };
            if (Transaction.Source != null) headers.Add(SourceHeader, Encoding.UTF8.GetBytes(Transaction.Source));
            if (Transaction.LineNumber > 0) headers.Add(LineHeader, Encoding.UTF8.GetBytes(Transaction.LineNumber.ToString(CultureInfo.InvariantCulture)));
            if (Input != null) headers.Add(FingerprintHeader, Encoding.UTF8.GetBytes(Input.Fingerprint.Hash));
            return headers;
        }

        private static string IdOf(string kind, string source, long line, string transactionId)
        {
            // Each part is length-prefixed, so that no source or id can be cut differently into the same bytes.
            var text = new StringBuilder();
            foreach (var part in new[] { kind, source, line.ToString(CultureInfo.InvariantCulture), transactionId })
            {
                text.Append(part.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part);
            }
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString()));
            var hex = new StringBuilder(32);
            for (var i = 0; i < 16; i++) hex.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
            return hex.ToString();
        }
    }
}
