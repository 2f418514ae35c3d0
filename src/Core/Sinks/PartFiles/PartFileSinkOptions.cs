using System;
using System.IO;
using AnomalyTools.Checkpoints;
using AnomalyTools.Sinks.Formats;

namespace AnomalyTools.Sinks.PartFiles
{
    /// <summary>Where and how a <see cref="PartFileSink"/> writes.</summary>
    public sealed class PartFileSinkOptions
    {
        /// <summary>The size at which a part rolls by default: 128 MiB, as in Flink.</summary>
        public const long DefaultMaxPartSize = 128L * 1024 * 1024;

        /// <summary>The age and the inactivity at which a part rolls by default: 60 seconds each, as in Flink.</summary>
        public static readonly TimeSpan DefaultRollingInterval = TimeSpan.FromSeconds(60);

        /// <summary>Creates options for the output folder <paramref name="directory"/>.</summary>
        public PartFileSinkOptions(string directory)
        {
            Directory = directory ?? throw new ArgumentNullException(nameof(directory));
        }

        /// <summary>The output folder; created when missing.</summary>
        public string Directory { get; }

        /// <summary>How records are written.</summary>
        public OutputFormat Format { get; set; } = OutputFormat.Text;

        /// <summary>A part rolls before a record would take it past this many bytes.</summary>
        public long MaxPartSize { get; set; } = DefaultMaxPartSize;

        /// <summary>A part rolls once it is this old, even while no record arrives.</summary>
        public TimeSpan RolloverInterval { get; set; } = DefaultRollingInterval;

        /// <summary>A part rolls once no record has been written to it for this long.</summary>
        public TimeSpan InactivityInterval { get; set; } = DefaultRollingInterval;

        /// <summary>The subtask index in the part names; distinct writers into one folder use distinct ones.</summary>
        public int Subtask { get; set; }

        /// <summary>Which time, if any, puts each record in a time-bucketed subfolder.</summary>
        public BucketBy BucketBy { get; set; } = BucketBy.None;

        /// <summary>The .NET date and time format of the bucket subfolders' names, applied to UTC times; see <see cref="BucketNames"/>.</summary>
        public string BucketFormat { get; set; } = BucketNames.DefaultFormat;

        /// <summary>Opens the file of a part in progress: a seam where tests put a disk that fills up.</summary>
        internal Func<string, FileStream> OpenPartFile { get; set; } =
            path => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024);

        /// <summary>Where checkpoints are kept; null (the default) for the output folder's own (<see cref="FolderCheckpointStore"/>).</summary>
        public ICheckpointStore? CheckpointStore { get; set; }

        /// <summary>The clock that parts roll by (age, inactivity) and that processing-time buckets are named by; the system's by default.</summary>
        public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

        /// <summary>Whether the Csv format prefixes text that a spreadsheet would run as a formula.</summary>
        public bool NeutralizeFormulas { get; set; } = true;
    }
}
