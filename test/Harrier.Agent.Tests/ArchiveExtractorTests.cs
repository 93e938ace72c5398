using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Harrier.Linux;
using Shouldly;
using Xunit;

namespace Harrier.Agent.Tests;

/// <summary>Archives that try to write outside the sandbox, and one that is simply unpacked.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ArchiveExtractorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("harrier-extract-").FullName;
    private readonly string _sandbox;
    private readonly string _outside;

    public ArchiveExtractorTests()
    {
        _sandbox = Directory.CreateDirectory(Path.Combine(_root, "sandbox")).FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_root, "outside")).FullName;
        File.WriteAllText(Path.Combine(_outside, "victim"), "original");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("../outside/victim")]
    [InlineData("a/../../outside/victim")]
    [InlineData("/tmp/harrier-absolute-entry")]
    public async Task ExtractAsync_EntryNamingAPathOutside_FailsAndWritesNothingThere(string name)
    {
        var tar = Tar(w => AddFile(w, name, "pwned"));

        var e = await Should.ThrowAsync<IOException>(ExtractAsync(tar, "x.tar"));

        e.Message.ShouldContain("outside the sandbox");
        OutsideIsUntouched();
        File.Exists("/tmp/harrier-absolute-entry").ShouldBeFalse();
    }

    [Fact]
    public async Task ExtractAsync_FileThroughALinkTheArchivePlanted_FailsAndOutsideIsUntouched()
    {
        var tar = Tar(w =>
        {
            Link(w, TarEntryType.SymbolicLink, "escape", _outside);
            AddFile(w, "escape/victim", "pwned");
        });

        var e = await Should.ThrowAsync<IOException>(ExtractAsync(tar, "x.tar"));

        e.Message.ShouldContain("'escape'");
        OutsideIsUntouched();
    }

    [Fact]
    public async Task ExtractAsync_FileThroughALinkAlreadyInTheSandbox_Fails()
    {
        File.CreateSymbolicLink(Path.Combine(_sandbox, "planted"), _outside);
        var tar = Tar(w => AddFile(w, "planted/victim", "pwned"));

        await Should.ThrowAsync<IOException>(ExtractAsync(tar, "x.tar"));

        OutsideIsUntouched();
    }

    [Theory]
    [InlineData("../outside/victim")]
    [InlineData("/etc/passwd")]
    public async Task ExtractAsync_HardLinkToATargetOutside_Fails(string target)
    {
        var tar = Tar(w => Link(w, TarEntryType.HardLink, "hard", target));

        await Should.ThrowAsync<IOException>(ExtractAsync(tar, "x.tar"));

        File.Exists(Path.Combine(_sandbox, "hard")).ShouldBeFalse();
    }

    [Fact]
    public async Task ExtractAsync_FileAfterALinkOfTheSameName_ReplacesTheLinkNotItsTarget()
    {
        var tar = Tar(w =>
        {
            Link(w, TarEntryType.SymbolicLink, "victim", Path.Combine(_outside, "victim"));
            AddFile(w, "victim", "inside");
        });

        await ExtractAsync(tar, "x.tar");

        OutsideIsUntouched();
        (await File.ReadAllTextAsync(Path.Combine(_sandbox, "victim"), TestContext.Current.CancellationToken)).ShouldBe("inside");
        new FileInfo(Path.Combine(_sandbox, "victim")).LinkTarget.ShouldBeNull();
    }

    [Fact]
    public async Task ExtractAsync_GzippedTar_UnpacksDirectoriesFilesLinksAndHardLinksWithoutSetId()
    {
        var tar = Tar(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "pkg/") { Mode = (UnixFileMode)0b111_101_101 });
            AddFile(w, "pkg/run.sh", "#!/bin/sh\n", mode: (UnixFileMode)0b100_111_101_101);
            Link(w, TarEntryType.SymbolicLink, "pkg/current", "run.sh");
            Link(w, TarEntryType.HardLink, "pkg/again.sh", "pkg/run.sh");
        });
        var gz = new MemoryStream();
        await using (var gzip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(tar.ToArray(), TestContext.Current.CancellationToken);
        }
        gz.Position = 0;

        await ExtractAsync(gz, "x.tgz", "sub");

        var run = Path.Combine(_sandbox, "sub", "pkg", "run.sh");
        (await File.ReadAllTextAsync(run, TestContext.Current.CancellationToken)).ShouldBe("#!/bin/sh\n");
        File.GetUnixFileMode(run).ShouldBe((UnixFileMode)0b111_101_101);
        new FileInfo(Path.Combine(_sandbox, "sub", "pkg", "current")).LinkTarget.ShouldBe("run.sh");
        (await File.ReadAllTextAsync(Path.Combine(_sandbox, "sub", "pkg", "again.sh"), TestContext.Current.CancellationToken)).ShouldBe("#!/bin/sh\n");
    }

    [Fact]
    public async Task ExtractAsync_ZipEntryWithDotDot_Fails()
    {
        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var entry = await archive.CreateEntry("../outside/victim").OpenAsync(TestContext.Current.CancellationToken);
            await entry.WriteAsync("pwned"u8.ToArray(), TestContext.Current.CancellationToken);
        }
        zip.Position = 0;

        await Should.ThrowAsync<IOException>(ExtractAsync(zip, "x.zip"));

        OutsideIsUntouched();
    }

    private async Task ExtractAsync(Stream archive, string name, string directory = "")
    {
        using var root = BeneathDirectory.Open(_sandbox);
        await ArchiveExtractor.ExtractAsync(archive, name, root, directory, TestContext.Current.CancellationToken);
    }

    private void OutsideIsUntouched()
    {
        Directory.GetFileSystemEntries(_outside).Select(Path.GetFileName).ShouldBe(["victim"]);
        File.ReadAllText(Path.Combine(_outside, "victim")).ShouldBe("original");
    }

    private static MemoryStream Tar(Action<TarWriter> entries)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            entries(writer);
        }
        stream.Position = 0;
        return stream;
    }

    private static void AddFile(TarWriter writer, string name, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)), Mode = mode });

    private static void Link(TarWriter writer, TarEntryType type, string name, string target) =>
        writer.WriteEntry(new PaxTarEntry(type, name) { LinkName = target });
}
