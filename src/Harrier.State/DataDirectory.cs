namespace Harrier.State;

/// <summary>Checks that a daemon's data directory can be used, so an unwritable one is said to be so at start.</summary>
public static class DataDirectory
{
    /// <summary>
    /// Creates the directory if needed and writes (and removes) a probe file in it. Throws
    /// <see cref="StateStoreException"/> saying which directory and why ("Read-only file system", "permission denied").
    /// </summary>
    public static void EnsureWritable(string path, string what = "data directory")
    {
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateStoreException($"the {what} {path} cannot be created: {Reason(e)}", e);
        }
        var probe = Path.Combine(path, ".write-probe");
        try
        {
            using (var stream = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.WriteByte(0);
                stream.Flush(flushToDisk: true);
            }
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateStoreException($"the {what} {path} is not writable: {Reason(e)}", e);
        }
    }

    /// <summary>The OS's reason without .NET's path decoration ("Read-only file system", "permission denied").</summary>
    internal static string Reason(Exception e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" : '", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message;
        return e is UnauthorizedAccessException && text.StartsWith("Access to the path", StringComparison.Ordinal) ? "permission denied" : text.Replace('\n', ' ');
    }
}
