namespace AnomalyTools.Rules
{
    /// <summary>A rule that judges transactions one at a time, in arrival order, and explains every hit.</summary>
    public interface ISuspicionRule
    {
        /// <summary>The rule's stable id, as findings name it.</summary>
        string Id { get; }

        /// <summary>
        /// Whether the rule works on event time: it is given only transactions with a timestamp that is not later than
        /// the allowed lateness.
        /// </summary>
        bool UsesTime { get; }

        /// <summary>How many entries of per-customer state the rule holds now.</summary>
        int StateCount { get; }

        /// <summary>Judges <paramref name="transaction"/>, then lets it join the rule's state; a finding when it is suspicious, otherwise null.</summary>
        Finding? Evaluate(Transaction transaction);
    }
}
