using System.Diagnostics;
using Harrier.Drivers.Images;
using Harrier.Testing;
using Harrier.Testing.Images;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Harrier.Drivers.Tests.Images;

public sealed class LayerUnpackerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly LayerUnpacker _unpacker = new(NullLogger.Instance);

    public LayerUnpackerTests()
    {
        Directory.CreateDirectory(_temp.Sub("layers"));
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Canary, "canary");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Outside => _temp.Sub("outside");

    private string Canary => Path.Combine(Outside, "canary.txt");

    private string Layer => _temp.Sub("layers", "l1");

    [Fact]
    public async Task UnpackAsync_OrdinaryEntries_AreWrittenWithModesTimesAndLinks()
    {
        var layer = new TestLayer().Directory("bin/").File("bin/tool", "#!/bin/sh\n", 0b100_111_101_101)
            .Symlink("bin/alias", "tool").Symlink("etc-link", "/etc").Hardlink("bin/tool2", "bin/tool")
            .File("deep/er/file.txt", "x", 0b110_000_000, uid: 1000, gid: 1001);

        var size = await UnpackAsync(layer);

        size.ShouldBe(11);
        File.ReadAllText(Path.Combine(Layer, "bin/tool")).ShouldBe("#!/bin/sh\n");
        Stat("%a", Path.Combine(Layer, "bin/tool")).ShouldBe("4755"); // setuid kept
        File.GetLastWriteTimeUtc(Path.Combine(Layer, "bin/tool")).ShouldBe(TestLayer.FixedTime.UtcDateTime);
        Directory.GetLastWriteTimeUtc(Path.Combine(Layer, "bin")).ShouldBe(TestLayer.FixedTime.UtcDateTime);
        new FileInfo(Path.Combine(Layer, "bin/alias")).LinkTarget.ShouldBe("tool");
        new FileInfo(Path.Combine(Layer, "etc-link")).LinkTarget.ShouldBe("/etc");
        File.ReadAllText(Path.Combine(Layer, "bin/tool2")).ShouldBe("#!/bin/sh\n");
        Stat("%a", Path.Combine(Layer, "deep/er/file.txt")).ShouldBe("600");
        if (Requirements.IsRoot)
        {
            Stat("%u:%g", Path.Combine(Layer, "deep/er/file.txt")).ShouldBe("1000:1001");
        }
    }

    [Theory]
    [InlineData(LayerCompression.None)]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public async Task UnpackAsync_EachCompression_UnpacksAndChecksTheDiffId(LayerCompression compression)
    {
        var layer = new TestLayer().File("a.txt", "hello");

        await UnpackAsync(layer, compression, TestImageBuilder.Digest(layer.ToTar()));

        File.ReadAllText(Path.Combine(Layer, "a.txt")).ShouldBe("hello");
    }

    [Fact]
    public async Task UnpackAsync_DiffIdMismatch_InvalidContentAndNoLayer()
    {
        var e = await Should.ThrowAsync<ImageStoreException>(() => UnpackAsync(new TestLayer().File("a", "a"), diffId: TestImageBuilder.Digest([1])));

        e.Failure.ShouldBe(ImagePullFailure.InvalidContent);
        Directory.EnumerateFileSystemEntries(_temp.Sub("layers")).ShouldBeEmpty();
    }

    [Fact]
    public async Task UnpackAsync_NotATar_InvalidContent()
    {
        var blob = _temp.Sub("blob");
        await File.WriteAllBytesAsync(blob, TestLayer.Compress(new byte[700].Select((_, i) => (byte)i).ToArray(), LayerCompression.Gzip), Ct);

        var e = await Should.ThrowAsync<ImageStoreException>(() => _unpacker.UnpackAsync(blob, Layer, null, Ct));

        e.Failure.ShouldBe(ImagePullFailure.InvalidContent);
        Directory.Exists(Layer).ShouldBeFalse();
    }

    [Fact]
    public async Task UnpackAsync_Whiteout_IsACharacterDevice00()
    {
        if (Requirements.Root() is { } skip)
        {
            Assert.Skip(skip);
        }
        await UnpackAsync(new TestLayer().Directory("etc/").Whiteout("etc/gone").Whiteout("top"));

        Stat("%F %t:%T", Path.Combine(Layer, "etc/gone")).ShouldBe("character special file 0:0");
        Stat("%F %t:%T", Path.Combine(Layer, "top")).ShouldBe("character special file 0:0");
        File.Exists(Path.Combine(Layer, "etc/.wh.gone")).ShouldBeFalse();
    }

    [Fact]
    public async Task UnpackAsync_OpaqueMarker_SetsTheOverlayOpaqueXattr()
    {
        if (Requirements.Root() is { } skip)
        {
            Assert.Skip(skip);
        }
        await UnpackAsync(new TestLayer().OpaqueDirectory("data/").File("data/new.txt", "n"));

        var value = new byte[8];
        var length = NativeMethods.lgetxattr(Path.Combine(Layer, "data"), "trusted.overlay.opaque", value, (nuint)value.Length);
        length.ShouldBe(1);
        value[0].ShouldBe((byte)'y');
        File.Exists(Path.Combine(Layer, "data/.wh..wh..opq")).ShouldBeFalse();
        File.ReadAllText(Path.Combine(Layer, "data/new.txt")).ShouldBe("n");
    }

    public static TheoryData<string> HostileLayers => ["dotdot", "dotdot-deep", "absolute", "through-symlink", "through-absolute-symlink",
        "hardlink-dotdot", "hardlink-absolute", "hardlink-through-symlink", "hardlink-missing", "whiteout-dotdot"];

    [Theory]
    [MemberData(nameof(HostileLayers))]
    public async Task UnpackAsync_EntryEscapingTheLayer_UnsafeLayerAndNothingWrittenOutside(string kind)
    {
        var layer = new TestLayer().File("ok.txt", "fine");
        _ = kind switch
        {
            "dotdot" => layer.File("../outside/pwned", "x"),
            "dotdot-deep" => layer.File("a/b/../../../outside/pwned", "x"),
            "absolute" => layer.File(Path.Combine(Outside, "pwned"), "x"),
            "through-symlink" => layer.Symlink("evil", "../outside").File("evil/pwned", "x"),
            "through-absolute-symlink" => layer.Symlink("evil", Outside).File("evil/pwned", "x"),
            "hardlink-dotdot" => layer.Hardlink("stolen", "../outside/canary.txt"),
            "hardlink-absolute" => layer.Hardlink("stolen", Canary),
            "hardlink-through-symlink" => layer.Symlink("evil", Outside).Hardlink("stolen", "evil/canary.txt"),
            "hardlink-missing" => layer.Hardlink("stolen", "not-yet"),
            "whiteout-dotdot" => layer.File("../outside/.wh.canary.txt", ""),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var e = await Should.ThrowAsync<ImageStoreException>(() => UnpackAsync(layer));

        e.Failure.ShouldBe(ImagePullFailure.UnsafeLayer);
        File.ReadAllText(Canary).ShouldBe("canary");
        Directory.EnumerateFileSystemEntries(Outside).ShouldBe([Canary]);
        new FileInfo(Canary).LinkTarget.ShouldBeNull();
        Stat("%h", Canary).ShouldBe("1"); // no hard link to it was made
        Directory.EnumerateFileSystemEntries(_temp.Sub("layers")).ShouldBeEmpty(); // the temporary directory is gone
    }

    [Fact]
    public async Task UnpackAsync_FileOverASymlinkOfTheSameName_ReplacesTheLinkInsteadOfWritingThroughIt()
    {
        var layer = new TestLayer().Symlink("link", Canary).File("link", "replaced").Symlink("dir", Outside).Directory("dir/");

        await UnpackAsync(layer);

        File.ReadAllText(Canary).ShouldBe("canary");
        new FileInfo(Path.Combine(Layer, "link")).LinkTarget.ShouldBeNull();
        File.ReadAllText(Path.Combine(Layer, "link")).ShouldBe("replaced");
        new DirectoryInfo(Path.Combine(Layer, "dir")).LinkTarget.ShouldBeNull();
        Directory.EnumerateFileSystemEntries(Outside).ShouldBe([Canary]);
    }

    [Fact]
    public async Task UnpackAsync_DotDotStayingInside_IsNormalized()
    {
        await UnpackAsync(new TestLayer().File("./a/../b.txt", "b"));

        File.ReadAllText(Path.Combine(Layer, "b.txt")).ShouldBe("b");
    }

    public void Dispose() => _temp.Dispose();

    private async Task<long> UnpackAsync(TestLayer layer, LayerCompression compression = LayerCompression.Gzip, string? diffId = null)
    {
        var blob = _temp.Sub("blob-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(blob, layer.ToBlob(compression), Ct);
        return await _unpacker.UnpackAsync(blob, Layer, diffId, Ct);
    }

    internal static string Stat(string format, string path)
    {
        using var process = Process.Start(new ProcessStartInfo("stat", ["-c", format, path]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }
}
