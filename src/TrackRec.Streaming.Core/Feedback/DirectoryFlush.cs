using System.Runtime.InteropServices;

namespace TrackRec.Streaming.Feedback;

/// <summary>
/// Makes a directory's entries durable: on POSIX systems a file renamed into a directory survives a crash only once
/// the directory itself has been fsynced (as Kafka and PostgreSQL do after their renames); until then the rename can
/// be lost with the power even though the file's bytes were flushed. .NET opens no directory as a file, so this calls
/// the C library. On Windows, where NTFS journals the rename itself, it does nothing.
/// </summary>
internal static class DirectoryFlush
{
    private const int ReadOnly = 0; // O_RDONLY
    private const int InvalidArgument = 22; // EINVAL: the file system cannot sync directories (some network ones)

    /// <summary>fsyncs <paramref name="directory"/>; throws an <see cref="IOException"/> naming it when that fails.</summary>
    public static void Flush(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (OperatingSystem.IsWindows())
            return;
        var fd = Open(directory, ReadOnly);
        if (fd < 0)
            throw new IOException($"cannot open directory '{directory}' to flush its entries to disk: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (Fsync(fd) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != InvalidArgument)
                throw new IOException($"cannot flush directory '{directory}' to disk: errno {errno}");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // DllImport rather than LibraryImport, whose generated code would need unsafe blocks in the domain assembly.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
