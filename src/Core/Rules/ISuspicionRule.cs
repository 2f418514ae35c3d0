namespace AnomalyTools.Rules
{
    /// <summary>A rule that judges transactions one at a time, in arrival order, and explains every hit.</summary>
    public interface ISuspicionRule
    {
        /// <summary>The rule's stable id, as findings name it.</summary>
        string Id { get; }

        /// <summary>Judges <paramref name="transaction"/>; a finding when it is suspicious, otherwise null.</summary>
        Finding? Evaluate(Transaction transaction);
    }
}
