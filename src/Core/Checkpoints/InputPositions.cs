using System;
using System.Collections.Generic;
using AnomalyTools.Sources.Files;

namespace AnomalyTools.Checkpoints
{
    /// <summary>
    /// How far an output folder's committed parts cover each input, file or partition: where a resumed run starts
    /// reading.
    /// </summary>
    public sealed class InputPositions
    {
        private readonly Dictionary<string, SourcePosition> _byKey = new Dictionary<string, SourcePosition>(SourcePosition.InputKeyComparer);

        /// <summary>The latest of <paramref name="positions"/> for each input.</summary>
        public InputPositions(IEnumerable<SourcePosition> positions)
        {
            if (positions is null) throw new ArgumentNullException(nameof(positions));
            foreach (var position in positions)
            {
                if (!_byKey.TryGetValue(position.InputKey, out var known) || position.IsLaterThan(known)) _byKey[position.InputKey] = position;
            }
        }

        /// <summary>How many inputs the output covers.</summary>
        public int Count => _byKey.Count;

        /// <summary>Where the input named <paramref name="inputKey"/> (see <see cref="SourcePosition.InputKey"/>) is covered to; null when it is not.</summary>
        public SourcePosition? Find(string inputKey) =>
            _byKey.TryGetValue(inputKey ?? throw new ArgumentNullException(nameof(inputKey)), out var position) ? position : null;

        /// <summary>
        /// The offset that a resumed run reads <paramref name="partition"/> of <paramref name="topic"/> from; null when the
        /// output covers none of it (then the consumer's own starting point applies).
        /// </summary>
        public long? NextOffset(string topic, int partition) =>
            Find(SourcePosition.PartitionKey(topic, partition)) is PartitionOffset offset ? offset.NextOffset : (long?)null;

        /// <summary>
        /// The line through which the file at <paramref name="path"/> is covered, whose records a resumed run skips; 0
        /// when it is not covered, or when <paramref name="changed"/>: the file no longer starts as the one the checkpoint
        /// was taken of (it was replaced or rewritten), so it is read again from the top.
        /// </summary>
        /// <exception cref="System.IO.IOException">The file cannot be read, so whether it changed cannot be told.</exception>
        /// <exception cref="UnauthorizedAccessException">The file cannot be read with the caller's permissions.</exception>
        public long SkipThroughLine(string path, out bool changed)
        {
            changed = false;
            if (!(Find(path) is FilePosition position)) return 0;
            changed = !position.Fingerprint.Matches(path);
            return changed ? 0 : position.Line;
        }

        /// <summary>
        /// As <see cref="SkipThroughLine(string, out bool)"/>, for a file already open for reading: judged by the bytes its
        /// reader read, so that the file skipped is the file read.
        /// </summary>
        public long SkipThroughLine(InputFile input, out bool changed)
        {
            if (input is null) throw new ArgumentNullException(nameof(input));
            changed = false;
            if (!(Find(input.Path) is FilePosition position)) return 0;
            changed = !input.Matches(position.Fingerprint);
            return changed ? 0 : position.Line;
        }
    }
}
