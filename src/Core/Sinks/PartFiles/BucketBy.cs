using AnomalyTools.Rules;

namespace AnomalyTools.Sinks.PartFiles
{
    /// <summary>Which time puts a record in a time-bucketed subfolder of the output, as Flink's DateTimeBucketAssigner does.</summary>
    public enum BucketBy
    {
        /// <summary>No subfolders: every part is in the output folder itself.</summary>
        None,

        /// <summary>The transaction's own timestamp, in UTC; when it has none, the time it is written.</summary>
        EventTime,

        /// <summary>The time the record is written, in UTC.</summary>
        ProcessingTime,
    }
}
