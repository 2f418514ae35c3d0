using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AnomalyTools.Platform;
using AnomalyTools.Sources.Files;

namespace AnomalyTools.Checkpoints
{
    /// <summary>
    /// The checkpoints of an output folder, one small file per subtask under <c>_checkpoints/</c>, which records with
    /// each committed part how far the inputs are covered. A part is committed in three steps, each durable before the
    /// next: the checkpoint is written as <c>subtask-0.pending</c>; the part is renamed from in progress to committed;
    /// the pending checkpoint is renamed over <c>subtask-0</c>. The part's rename is the one moment of commit, so a crash
    /// at any point leaves either the part and its checkpoint, or neither: <see cref="Recover"/> completes a pending
    /// checkpoint whose part is committed and drops one whose part is not. The layout behind
    /// <see cref="FolderCheckpointStore"/>: the sink and the importer go through that store, not through this folder.
    /// </summary>
    public static class CheckpointJournal
    {
        /// <summary>The folder, inside the output folder, that holds the checkpoints; hidden from readers of parts by its leading underscore.</summary>
        public const string DirectoryName = "_checkpoints";

        private const string Signature = "AnomalyTools checkpoint 1";
        private const string NumberingSignature = "AnomalyTools numbering 1";
        private const string PendingExtension = ".pending";
        private const string FilePrefix = "subtask-";

        /// <summary>The committed checkpoint file of <paramref name="subtask"/> in the output folder <paramref name="directory"/>.</summary>
        public static string PathOf(string directory, int subtask) =>
            Path.Combine(directory, DirectoryName, FilePrefix + subtask.ToString(CultureInfo.InvariantCulture));

        /// <summary>Writes the checkpoint of a part about to be committed, synced to disk, beside the committed one.</summary>
        /// <exception cref="IOException">It cannot be written.</exception>
        public static void WritePending(string directory, int subtask, Checkpoint checkpoint)
        {
            if (checkpoint is null) throw new ArgumentNullException(nameof(checkpoint));
            var path = PathOf(directory, subtask) + PendingExtension;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(Format(checkpoint));
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
            stream.Write(bytes, 0, bytes.Length);
            stream.Flush(flushToDisk: true);
        }

        /// <summary>Makes the pending checkpoint the committed one, once its part has been committed.</summary>
        /// <exception cref="IOException">It cannot be renamed.</exception>
        public static void CompletePending(string directory, int subtask)
        {
            var path = PathOf(directory, subtask);
            Replace(path + PendingExtension, path);
            DirectorySync.Sync(Path.GetDirectoryName(path)!);
        }

        /// <summary>
        /// Finishes what a crash interrupted for <paramref name="subtask"/>: completes its pending checkpoint when the part
        /// it names was committed, deletes it otherwise. Returns the committed checkpoint, or null when there is none.
        /// </summary>
        /// <exception cref="InvalidDataException">The committed checkpoint is damaged.</exception>
        /// <exception cref="IOException">The checkpoints cannot be read or changed.</exception>
        public static Checkpoint? Recover(string directory, int subtask)
        {
            var path = PathOf(directory, subtask);
            var pending = path + PendingExtension;
            if (File.Exists(pending))
            {
                var checkpoint = ReadOrNull(pending);
                if (checkpoint != null && IsCommitted(directory, checkpoint)) CompletePending(directory, subtask);
                else File.Delete(pending);
            }
            return File.Exists(path) ? Read(path) : null;
        }

        /// <summary>
        /// How far the committed output of every subtask in <paramref name="directory"/> covers the inputs, read without
        /// changing anything there: a pending checkpoint counts when its part was committed. Empty when there is none.
        /// </summary>
        /// <exception cref="InvalidDataException">A committed checkpoint is damaged.</exception>
        /// <exception cref="IOException">The checkpoints cannot be read.</exception>
        public static InputPositions ReadPositions(string directory)
        {
            var folder = Path.Combine(directory, DirectoryName);
            var checkpoints = new List<Checkpoint>();
            if (Directory.Exists(folder))
            {
                // A subtask's first commit may have been cut short after its part's rename: then only its pending file exists.
                var subtaskFiles = Directory.EnumerateFiles(folder, FilePrefix + "*")
                    .Select(file => file.EndsWith(PendingExtension, StringComparison.Ordinal) ? file.Substring(0, file.Length - PendingExtension.Length) : file)
                    .Distinct(StringComparer.Ordinal);
                foreach (var path in subtaskFiles)
                {
                    var pending = ReadOrNull(path + PendingExtension);
                    if (pending != null && IsCommitted(directory, pending)) checkpoints.Add(pending);
                    else if (File.Exists(path)) checkpoints.Add(Read(path));
                }
            }
            return new InputPositions(checkpoints.SelectMany(checkpoint => checkpoint.Inputs));
        }

        /// <summary>
        /// Records durably that part numbers below <paramref name="nextCounter"/> have been used by <paramref name="subtask"/>:
        /// written before in-progress parts are rolled back, so that their numbers never come back once they are deleted,
        /// even when no part of the run that rolled them back is committed.
        /// </summary>
        /// <exception cref="IOException">It cannot be written.</exception>
        public static void RecordNextPart(string directory, int subtask, long nextCounter)
        {
            var path = NumberingPathOf(directory, subtask);
            var temporary = path + ".tmp";
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var text = NumberingSignature + "\nnext\t" + nextCounter.ToString(CultureInfo.InvariantCulture) + "\nend\n";
                var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
                using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(flushToDisk: true);
                }
                Replace(temporary, path);
                DirectorySync.Sync(Path.GetDirectoryName(path)!);
            }
            catch (Exception exception) when (exception is IOException || exception is UnauthorizedAccessException)
            {
                throw new IOException(string.Format(CultureInfo.CurrentCulture, ErrorMessages.NumberingFailed, path, exception.Message), exception);
            }
        }

        /// <summary>The first part number that <see cref="RecordNextPart"/> recorded as unused for <paramref name="subtask"/>; 0 when none was recorded.</summary>
        /// <exception cref="InvalidDataException">The record is damaged.</exception>
        /// <exception cref="IOException">It cannot be read.</exception>
        public static long ReadNextPart(string directory, int subtask)
        {
            var path = NumberingPathOf(directory, subtask);
            if (!File.Exists(path)) return 0;
            var lines = File.ReadAllText(path).Split('\n');
            if (lines.Length != 4 || lines[0] != NumberingSignature || lines[2] != "end" || lines[3].Length != 0
                || !lines[1].StartsWith("next\t", StringComparison.Ordinal)
                || !long.TryParse(lines[1].Substring(5), NumberStyles.None, CultureInfo.InvariantCulture, out var next))
            {
                throw new InvalidDataException(string.Format(CultureInfo.CurrentCulture, ErrorMessages.CheckpointDamaged, path));
            }
            return next;
        }

        // Not named subtask-N: ReadPositions takes every such file for a checkpoint.
        private static string NumberingPathOf(string directory, int subtask) =>
            Path.Combine(directory, DirectoryName, "numbering-" + subtask.ToString(CultureInfo.InvariantCulture));

        private static bool IsCommitted(string directory, Checkpoint checkpoint) =>
            File.Exists(Path.Combine(directory, checkpoint.Part.Replace('/', Path.DirectorySeparatorChar)));

        private static Checkpoint Read(string path) =>
            Parse(File.ReadAllText(path)) ?? throw new InvalidDataException(string.Format(CultureInfo.CurrentCulture, ErrorMessages.CheckpointDamaged, path));

        // A pending checkpoint may be half written by a crash: that is no checkpoint at all.
        private static Checkpoint? ReadOrNull(string path)
        {
            try
            {
                return Parse(File.ReadAllText(path));
            }
            catch (FileNotFoundException)
            {
                return null;
            }
        }

        private static string Format(Checkpoint checkpoint)
        {
            var text = new StringBuilder();
            text.Append(Signature).Append('\n');
            text.Append("part\t").Append(Uri.EscapeDataString(checkpoint.Part)).Append('\n');
            foreach (var input in checkpoint.Inputs) input.AppendJournalLine(text);
            text.Append("end\n");
            return text.ToString();
        }

        private static Checkpoint? Parse(string text)
        {
            var lines = text.Split('\n');
            if (lines.Length < 4 || lines[0] != Signature || lines[lines.Length - 1].Length != 0 || lines[lines.Length - 2] != "end") return null;
            var partFields = lines[1].Split('\t');
            if (partFields.Length != 2 || partFields[0] != "part" || partFields[1].Length == 0) return null;
            var inputs = new List<SourcePosition>();
            for (var i = 2; i < lines.Length - 2; i++)
            {
                var position = SourcePosition.ParseJournalLine(lines[i]);
                if (position is null) return null;
                inputs.Add(position);
            }
            return new Checkpoint(Uri.UnescapeDataString(partFields[1]), inputs);
        }

        private static void Replace(string source, string destination)
        {
#if NETSTANDARD2_0
            if (File.Exists(destination)) File.Replace(source, destination, destinationBackupFileName: null);
            else File.Move(source, destination);
#else
            File.Move(source, destination, overwrite: true);
#endif
        }
    }
}
