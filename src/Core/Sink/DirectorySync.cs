using System.Runtime.InteropServices;

namespace AnomalyTools.Sink
{
    /// <summary>
    /// Makes a rename durable: on Unix a directory's entries reach the disk only when the directory itself is
    /// synced. Windows commits a rename with the file system's journal, so there is nothing to do there.
    /// </summary>
    internal static class DirectorySync
    {
        private const int ReadOnly = 0;

        public static void Sync(string directory)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            var descriptor = open(directory, ReadOnly);
            if (descriptor < 0) return;
            try
            {
                fsync(descriptor);
            }
            finally
            {
                close(descriptor);
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int fsync(int descriptor);

        [DllImport("libc")]
        private static extern int close(int descriptor);
    }
}
