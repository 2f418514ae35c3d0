using System;

namespace AnomalyTools.Sources.Files
{
    /// <summary>How a <see cref="FileFollower"/> follows its files.</summary>
    public sealed class FollowOptions
    {
        /// <summary>Following ends when no file has grown for this long; null (the default) follows until cancelled.</summary>
        public TimeSpan? IdleTimeout { get; set; }

        /// <summary>
        /// The longest wait between two looks at the files once they are quiet. Right after data arrives the files are
        /// looked at again at once, then after waits that double from a millisecond up to this.
        /// </summary>
        public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

        /// <summary>How often the wildcard patterns are matched again to pick up new files.</summary>
        public TimeSpan DiscoveryInterval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>How often a quiet file's path is checked for having been replaced by another file (rotation).</summary>
        public TimeSpan ReplacementCheckInterval { get; set; } = TimeSpan.FromMilliseconds(250);
    }
}
