using System;
using System.Collections.Generic;
using AnomalyTools.Platform;
using AnomalyTools.Sources.Files;

namespace AnomalyTools.Checkpoints
{
    /// <summary>How far an output folder's committed parts cover each input file: where a resumed run starts reading.</summary>
    public sealed class InputPositions
    {
        private readonly Dictionary<string, InputPosition> _byPath = new Dictionary<string, InputPosition>(FilePaths.Comparer);

        internal InputPositions(IEnumerable<InputPosition> positions)
        {
            foreach (var position in positions)
            {
                if (!_byPath.TryGetValue(position.Path, out var known) || known.Line < position.Line) _byPath[position.Path] = position;
            }
        }

        /// <summary>How many input files the output covers.</summary>
        public int Count => _byPath.Count;

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
            if (!_byPath.TryGetValue(path, out var position)) return 0;
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
            if (!_byPath.TryGetValue(input.Path, out var position)) return 0;
            changed = !input.Matches(position.Fingerprint);
            return changed ? 0 : position.Line;
        }
    }
}
