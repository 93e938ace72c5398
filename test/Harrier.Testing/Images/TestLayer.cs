using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Harrier.Testing.Images;

/// <summary>
/// The entries of one layer tar, in the order added, written deterministically (ustar, fixed mtime) so the same
/// layer always has the same digest. Names are written exactly as given, which lets tests build hostile layers
/// (<c>../x</c>, <c>/etc/x</c>, a file through a symlink) as easily as ordinary ones.
/// </summary>
public sealed class TestLayer
{
    /// <summary>The mtime of every entry: 2020-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset FixedTime = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly List<TarEntry> _entries = [];

    public TestLayer File(string path, string content, int mode = 0b110_100_100, int uid = 0, int gid = 0) =>
        File(path, Encoding.UTF8.GetBytes(content), mode, uid, gid);

    public TestLayer File(string path, byte[] content, int mode = 0b110_100_100, int uid = 0, int gid = 0)
    {
        var entry = New(TarEntryType.RegularFile, path, mode, uid, gid);
        entry.DataStream = new MemoryStream(content);
        return Add(entry);
    }

    /// <summary>A shell script (mode 0755).</summary>
    public TestLayer Script(string path, string content) => File(path, content, 0b111_101_101);

    public TestLayer Directory(string path, int mode = 0b111_101_101, int uid = 0, int gid = 0) =>
        Add(New(TarEntryType.Directory, path, mode, uid, gid));

    public TestLayer Symlink(string path, string target)
    {
        var entry = New(TarEntryType.SymbolicLink, path, 0b111_111_111, 0, 0);
        entry.LinkName = target;
        return Add(entry);
    }

    public TestLayer Hardlink(string path, string target)
    {
        var entry = New(TarEntryType.HardLink, path, 0b110_100_100, 0, 0);
        entry.LinkName = target;
        return Add(entry);
    }

    /// <summary>Hides <paramref name="path"/> of the layers below (an OCI <c>.wh.NAME</c> entry).</summary>
    public TestLayer Whiteout(string path)
    {
        var slash = path.LastIndexOf('/');
        return File(path[..(slash + 1)] + ".wh." + path[(slash + 1)..], []);
    }

    /// <summary>The directory, with an OCI <c>.wh..wh..opq</c> marker hiding what the layers below had in it.</summary>
    public TestLayer OpaqueDirectory(string path) => Directory(path).File(path.TrimEnd('/') + "/.wh..wh..opq", []);

    /// <summary>Any entry, as is (a device, a fifo, odd metadata).</summary>
    public TestLayer Add(TarEntry entry)
    {
        _entries.Add(entry);
        return this;
    }

    /// <summary>The uncompressed tar.</summary>
    public byte[] ToTar()
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var entry in _entries)
            {
                entry.DataStream?.Seek(0, SeekOrigin.Begin);
                writer.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }

    /// <summary>The tar, compressed as asked.</summary>
    public byte[] ToBlob(LayerCompression compression) => Compress(ToTar(), compression);

    public static byte[] Compress(byte[] tar, LayerCompression compression)
    {
        switch (compression)
        {
            case LayerCompression.None:
                return tar;
            case LayerCompression.Zstd:
                using (var zstd = new ZstdSharp.Compressor(3))
                {
                    return zstd.Wrap(tar).ToArray();
                }
            default:
                using (var output = new MemoryStream())
                {
                    var level = compression == LayerCompression.GzipDefault ? CompressionLevel.Optimal : CompressionLevel.Fastest;
                    using (var gzip = new GZipStream(output, level, leaveOpen: true))
                    {
                        gzip.Write(tar);
                    }
                    return output.ToArray();
                }
        }
    }

    private static UstarTarEntry New(TarEntryType type, string path, int mode, int uid, int gid) => new(type, path)
    {
        Mode = (UnixFileMode)mode,
        Uid = uid,
        Gid = gid,
        ModificationTime = FixedTime,
    };
}
