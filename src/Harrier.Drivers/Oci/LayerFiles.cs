using Harrier.Linux;

namespace Harrier.Drivers.Oci;

/// <summary>
/// Reads a file of a container's root filesystem from its image layers before anything is mounted, as overlayfs
/// would show it: the topmost layer that has the path wins; a whiteout (an overlayfs 0:0 character device or an
/// OCI <c>.wh.NAME</c> file) deletes it; an opaque directory (<c>trusted.overlay.opaque=y</c> or an OCI
/// <c>.wh..wh..opq</c> file) hides the layers below it. Symlinks are never followed (an image must not make the
/// agent read a host file), so a file reached through one counts as absent.
/// </summary>
internal static class LayerFiles
{
    private const string OpaqueMarker = ".wh..wh..opq";

    /// <summary>The file's text, or null when the merged view has no regular file there (or it is larger than <paramref name="maxBytes"/>).</summary>
    public static string? ReadText(IReadOnlyList<string> layersBottomFirst, string path, int maxBytes = 1 << 20)
    {
        var components = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (components.Length == 0 || components.Any(c => c is "." or ".."))
        {
            return null;
        }
        for (var layer = layersBottomFirst.Count - 1; layer >= 0; layer--)
        {
            switch (Lookup(layersBottomFirst[layer], components))
            {
                case (Found.File, var file):
                    var info = new FileInfo(file!);
                    return info.Length <= maxBytes ? File.ReadAllText(file!) : null;
                case (Found.Hidden, _):
                    return null;
            }
        }
        return null;
    }

    private enum Found
    {
        /// <summary>This layer says nothing about the path: look below.</summary>
        Nothing,

        /// <summary>This layer deletes or shadows the path (whiteout, opaque parent, symlink, non-file).</summary>
        Hidden,

        File,
    }

    private static (Found, string?) Lookup(string layer, string[] components)
    {
        var dir = layer;
        for (var i = 0; i < components.Length; i++)
        {
            var name = components[i];
            var path = Path.Combine(dir, name);
            if (File.Exists(Path.Combine(dir, ".wh." + name)) || FileNode.IsWhiteout(path))
            {
                return (Found.Hidden, null);
            }
            var type = FileNode.TypeOf(path);
            if (type is null)
            {
                // Absent here: an opaque parent directory still hides the lower layers' copies.
                return i > 0 && IsOpaque(dir) ? (Found.Hidden, null) : (Found.Nothing, null);
            }
            var last = i == components.Length - 1;
            if (last)
            {
                return type == UnixFileType.Regular ? (Found.File, path) : (Found.Hidden, null);
            }
            if (type != UnixFileType.Directory)
            {
                return (Found.Hidden, null);
            }
            dir = path;
        }
        return (Found.Nothing, null);
    }

    private static bool IsOpaque(string dir) =>
        File.Exists(Path.Combine(dir, OpaqueMarker))
        || FileNode.HasAttribute(dir, "trusted.overlay.opaque", "y")
        || FileNode.HasAttribute(dir, "user.overlay.opaque", "y");
}
