using System;
using System.Collections.Generic;

namespace AnomalyTools.Checkpoints
{
    /// <summary>
    /// A sink that says how far its output durably covers the inputs, as it moves on: a part-file sink after each part
    /// commit, a Kafka alert sink as the brokers acknowledge alerts. A source that keeps its progress elsewhere (a Kafka
    /// consumer group's offsets) subscribes, so that what it records as read is never ahead of what the output holds.
    /// </summary>
    public interface IPositionsCommitted
    {
        /// <summary>
        /// Raised with the inputs whose covered position moved on: every record of each input up to its position is in
        /// the output or was judged not suspicious. Raised on the sink's thread (a timer's, or the client library's):
        /// a handler hands the positions on and returns, and never throws.
        /// </summary>
        event Action<IReadOnlyList<SourcePosition>>? PositionsCommitted;
    }
}
