namespace Harrier.LoadBalancer.Haproxy;

/// <summary>Writes a file through a temporary sibling and a rename, so readers (HAProxy, its Lua) never see half a file.</summary>
internal static class AtomicFile
{
    public static void Write(string path, string content)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }

    public static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="content"/>, or deletes the file when it is null.</summary>
    public static void WriteOrDelete(string path, string? content)
    {
        if (content is null)
        {
            File.Delete(path);
        }
        else
        {
            Write(path, content);
        }
    }
}
