namespace Harrier.Drivers.Images;

/// <summary>
/// Lexical normalization of tar entry names. A name that is absolute, or whose <c>..</c> climbs above the layer
/// root, is refused outright: legitimate image layers never contain one, so such a layer is hostile.
/// </summary>
internal static class LayerPath
{
    /// <summary>The entry's path components below the layer root (empty for the root itself).</summary>
    public static string[] Components(string entryName)
    {
        if (entryName.StartsWith('/'))
        {
            throw Unsafe(entryName, "is an absolute path");
        }
        if (entryName.Contains('\0', StringComparison.Ordinal))
        {
            throw Unsafe(entryName, "contains a NUL character");
        }
        var stack = new List<string>();
        foreach (var part in entryName.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (stack.Count == 0)
                    {
                        throw Unsafe(entryName, "climbs out of the layer with '..'");
                    }
                    stack.RemoveAt(stack.Count - 1);
                    break;
                default:
                    stack.Add(part);
                    break;
            }
        }
        return [.. stack];
    }

    public static ImageStoreException Unsafe(string entryName, string why) =>
        new(ImagePullFailure.UnsafeLayer, $"layer entry '{entryName}' {why}");
}
