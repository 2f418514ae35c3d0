using System;
using System.Globalization;
using System.IO;
using System.Text;
using AnomalyTools.Sinks.Formats;

namespace AnomalyTools.Sources
{
    /// <summary>
    /// Writes the records that could not be imported, with why, where and the record itself, to a CSV file
    /// (<see cref="Header"/>) that a person can fix and import again. UTF-8 without a byte order mark, <c>\n</c> line
    /// ends, appended to when the file exists; each record is handed to the operating system at once, so a crash
    /// loses none that were reported. Text a spreadsheet would run as a formula is prefixed with <c>'</c>, as in the
    /// Csv output format.
    /// </summary>
    public sealed class QuarantineWriter : IDisposable
    {
        /// <summary>The header: the file, the line where the record starts, the error id, the message, the record.</summary>
        public const string Header = "source,line,error_id,message,record";

        private static readonly UTF8Encoding s_utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        private readonly FileStream _file;
        private readonly StringBuilder _line = new StringBuilder();

        /// <summary>Opens <paramref name="path"/> for appending, writing the header when it is new or empty; creates its folder when missing.</summary>
        /// <exception cref="InvalidDataException">The file exists and is not a quarantine file: it is left alone.</exception>
        /// <exception cref="IOException">It cannot be opened.</exception>
        /// <exception cref="UnauthorizedAccessException">It cannot be opened with the caller's permissions.</exception>
        public QuarantineWriter(string path)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            try
            {
                if (_file.Length == 0)
                {
                    Append(Header + "\n");
                    return;
                }
                if (!StreamStart.StartsWith(_file, s_utf8.GetBytes(Header + "\n")))
                {
                    throw new InvalidDataException(string.Format(CultureInfo.CurrentCulture, ErrorMessages.NotAQuarantineFile, path, Header));
                }
                _file.Seek(0, SeekOrigin.End);
            }
            catch
            {
                _file.Dispose();
                throw;
            }
        }

        /// <summary>Appends <paramref name="error"/>; warnings are not written.</summary>
        /// <exception cref="IOException">It cannot be written.</exception>
        public void Write(ImportError error)
        {
            if (error is null) throw new ArgumentNullException(nameof(error));
            if (error.IsWarning) return;
            _line.Clear();
            CsvRecordFormatter.AppendField(_line, error.Source, neutralizeFormulas: true);
            _line.Append(',').Append(error.LineNumber.ToString(CultureInfo.InvariantCulture)).Append(',');
            _line.Append(error.Id.ToString()).Append(',');
            CsvRecordFormatter.AppendField(_line, error.Message, neutralizeFormulas: true);
            _line.Append(',');
            CsvRecordFormatter.AppendField(_line, error.RawRecord ?? string.Empty, neutralizeFormulas: true);
            _line.Append('\n');
            Append(_line.ToString());
        }

        /// <inheritdoc />
        public void Dispose() => _file.Dispose();

        private void Append(string text)
        {
            var bytes = s_utf8.GetBytes(text);
            _file.Write(bytes, 0, bytes.Length);
            _file.Flush();
        }
    }
}
