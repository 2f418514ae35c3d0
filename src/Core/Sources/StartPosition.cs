namespace AnomalyTools.Sources
{
    /// <summary>Where reading a stream starts when nothing says where it left off (no committed offset for a Kafka partition).</summary>
    public enum StartPosition
    {
        /// <summary>At the oldest record the stream still holds: nothing already there is missed.</summary>
        Earliest,

        /// <summary>After the last record present when reading starts: only what comes from then on.</summary>
        Latest,
    }
}
