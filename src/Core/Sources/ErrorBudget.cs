using System;

namespace AnomalyTools.Sources
{
    /// <summary>
    /// How many bad records an import may meet before it should stop: at most <see cref="MaxErrors"/> in all, and at
    /// most a share of <see cref="MaxErrorRate"/> of the records read. The share is judged at each bad record once
    /// <see cref="MinimumRowsForRate"/> records were read (before that, one bad record among a few would be a large
    /// share), and at the end of each file whatever the count.
    /// </summary>
    public sealed class ErrorBudget
    {
        /// <summary>How many records must have been read before the share of bad ones is judged during a file.</summary>
        public const int MinimumRowsForRate = 100;

        /// <summary>Creates a budget; null leaves that limit off.</summary>
        public ErrorBudget(long? maxErrors, double? maxErrorRate)
        {
            if (maxErrors < 0) throw new ArgumentOutOfRangeException(nameof(maxErrors));
            if (maxErrorRate < 0 || maxErrorRate > 1 || double.IsNaN(maxErrorRate ?? 0)) throw new ArgumentOutOfRangeException(nameof(maxErrorRate));
            MaxErrors = maxErrors;
            MaxErrorRate = maxErrorRate;
        }

        /// <summary>The number of bad records allowed, or null.</summary>
        public long? MaxErrors { get; }

        /// <summary>The share of bad records allowed, from 0 to 1, or null.</summary>
        public double? MaxErrorRate { get; }

        /// <summary>The records read, good and bad.</summary>
        public long Records { get; private set; }

        /// <summary>The bad records.</summary>
        public long Errors { get; private set; }

        /// <summary>The share of bad records among those read.</summary>
        public double ErrorRate => Records == 0 ? 0 : (double)Errors / Records;

        /// <summary>Counts a good record.</summary>
        public void CountGood() => Records++;

        /// <summary>Counts a bad record; true when the budget is now exceeded.</summary>
        public bool CountError()
        {
            Records++;
            Errors++;
            return Errors > MaxErrors || (Records >= MinimumRowsForRate && RateExceeded());
        }

        /// <summary>Whether the share of bad records exceeds the budget, judged at the end of a file.</summary>
        public bool IsExceededAtEndOfFile() => Records > 0 && RateExceeded();

        private bool RateExceeded() => MaxErrorRate is double rate && ErrorRate > rate;
    }
}
