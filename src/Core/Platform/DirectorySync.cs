using System.ComponentModel;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace AnomalyTools.Platform
{
    /// <summary>
    /// Makes a rename durable: on Unix a directory's entries reach the disk only when the directory itself is
    /// synced. Windows commits a rename with the file system's journal, so there is nothing to do there.
    /// </summary>
    internal static class DirectorySync
    {
        private const int ReadOnly = 0;

        /// <exception cref="IOException">The folder cannot be opened or synced: the rename it holds may not survive a crash.</exception>
        public static void Sync(string directory)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            var descriptor = open(directory, ReadOnly);
            if (descriptor < 0) throw Failure(directory);
            try
            {
                if (fsync(descriptor) != 0) throw Failure(directory);
            }
            finally
            {
                close(descriptor);
            }
        }

        private static IOException Failure(string directory)
        {
            var error = Marshal.GetLastWin32Error();
            return new IOException(string.Format(CultureInfo.CurrentCulture, ErrorMessages.DirectorySyncFailed, directory, new Win32Exception(error).Message));
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int fsync(int descriptor);

        [DllImport("libc")]
        private static extern int close(int descriptor);
    }
}
