using System.Diagnostics;
using Harrier.Core.Apps;
using Harrier.Linux;
using Harrier.Testing;
using Shouldly;
using Xunit;

namespace Harrier.Agent.Tests;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UriFetcherTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "harrier-fetcher-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly HttpClient _http = new();

    public UriFetcherTests() => Directory.CreateDirectory(Path.Combine(_root, "src", "pkg"));

    [Theory]
    [InlineData("-cjf", "bundle.tar.bz2", "bzip2")]
    [InlineData("-cJf", "bundle.tar.xz", "xz")]
    [InlineData("-cf", "bundle.tar", "tar")]
    public async Task FetchAsync_TarVariants_AreExtracted(string flags, string name, string binary)
    {
        if (Requirements.Binary(binary) is { } skip)
        {
            Assert.Skip(skip);
        }
        await File.WriteAllTextAsync(Path.Combine(_root, "src", "pkg", "a.txt"), "packed", TestContext.Current.CancellationToken);
        var archive = Path.Combine(_root, name);
        using (var tar = Process.Start("tar", [flags, archive, "-C", Path.Combine(_root, "src"), "pkg"]))
        {
            await tar.WaitForExitAsync(TestContext.Current.CancellationToken);
            tar.ExitCode.ShouldBe(0);
        }
        var sandbox = Path.Combine(_root, "sandbox");
        Directory.CreateDirectory(sandbox);

        await new UriFetcher(_http, Path.Combine(_root, "cache")).FetchAsync(new FetchUri("file://" + archive), sandbox, null, TestContext.Current.CancellationToken);

        (await File.ReadAllTextAsync(Path.Combine(sandbox, "pkg", "a.txt"), TestContext.Current.CancellationToken)).ShouldBe("packed");
    }

    [Fact]
    public async Task FetchAsync_DestPath_WritesThatFileAndRefusesEscapes()
    {
        var source = Path.Combine(_root, "src", "plain.bin");
        await File.WriteAllTextAsync(source, "x", TestContext.Current.CancellationToken);
        var sandbox = Path.Combine(_root, "sandbox");
        Directory.CreateDirectory(sandbox);
        var fetcher = new UriFetcher(_http, Path.Combine(_root, "cache"));

        await fetcher.FetchAsync(new FetchUri("file://" + source, DestPath: "bin/tool"), sandbox, null, TestContext.Current.CancellationToken);
        var escape = fetcher.FetchAsync(new FetchUri("file://" + source, DestPath: "../outside"), sandbox, null, TestContext.Current.CancellationToken);

        File.Exists(Path.Combine(sandbox, "bin", "tool")).ShouldBeTrue();
        (await Should.ThrowAsync<FetchException>(escape)).Message.ShouldContain("outside the sandbox");
    }

    [Fact]
    public async Task FetchAsync_UnsupportedScheme_Fails()
    {
        var fetcher = new UriFetcher(_http, Path.Combine(_root, "cache"));

        var e = await Should.ThrowAsync<FetchException>(fetcher.FetchAsync(new FetchUri("ftp://example.invalid/x.tgz"), _root, null, TestContext.Current.CancellationToken));

        e.Message.ShouldContain("unsupported URI scheme 'ftp'");
    }

    [Fact]
    public async Task FetchAsync_FileTheTaskUserCannotRead_FailsAndLeavesNothingInTheSandbox()
    {
        Assert.SkipWhen(Requirements.Root() is not null, Requirements.Root() ?? "");
        var secret = Path.Combine(_root, "src", "secret");
        await File.WriteAllTextAsync(secret, "root only", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var sandbox = Sandbox();

        var e = await Should.ThrowAsync<FetchException>(new UriFetcher(_http, Path.Combine(_root, "cache"))
            .FetchAsync(new FetchUri("file://" + secret), sandbox, Nobody, TestContext.Current.CancellationToken));

        e.Message.ShouldContain("Permission denied");
        Directory.GetFileSystemEntries(sandbox).ShouldBeEmpty();
    }

    [Fact]
    public async Task FetchAsync_CachedFileOfAnotherUser_IsNotServedToTheTaskUser()
    {
        Assert.SkipWhen(Requirements.Root() is not null, Requirements.Root() ?? "");
        var secret = Path.Combine(_root, "src", "secret");
        await File.WriteAllTextAsync(secret, "root only", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var fetcher = new UriFetcher(_http, Path.Combine(_root, "cache"));
        await fetcher.FetchAsync(new FetchUri("file://" + secret, Cache: true), Sandbox(), UnixUser.Find("root"), TestContext.Current.CancellationToken);

        var e = await Should.ThrowAsync<FetchException>(fetcher.FetchAsync(new FetchUri("file://" + secret, Cache: true), Sandbox("other"), Nobody, TestContext.Current.CancellationToken));

        e.Message.ShouldContain("Permission denied");
    }

    [Theory]
    [InlineData("escape/planted")]
    [InlineData("escape")]
    public async Task FetchAsync_DestPathThroughOrOntoALinkInTheSandbox_NeverWritesOutside(string destPath)
    {
        var source = Path.Combine(_root, "src", "payload");
        await File.WriteAllTextAsync(source, "pwned", TestContext.Current.CancellationToken);
        var outside = Directory.CreateDirectory(Path.Combine(_root, "outside")).FullName;
        var sandbox = Sandbox();
        File.CreateSymbolicLink(Path.Combine(sandbox, "escape"), destPath == "escape" ? Path.Combine(outside, "victim") : outside);
        var fetcher = new UriFetcher(_http, Path.Combine(_root, "cache"));

        try
        {
            await fetcher.FetchAsync(new FetchUri("file://" + source, DestPath: destPath), sandbox, null, TestContext.Current.CancellationToken);
            // Onto a link: the link is replaced by the file, its target is not written.
            new FileInfo(Path.Combine(sandbox, "escape")).LinkTarget.ShouldBeNull();
        }
        catch (FetchException e)
        {
            e.Message.ShouldContain("'escape'");
        }

        Directory.GetFileSystemEntries(outside).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("/tmp/harrier-fetch-absolute")]
    [InlineData("a/../../x")]
    public async Task FetchAsync_DestPathAbsoluteOrWithDotDot_IsRefused(string destPath)
    {
        var source = Path.Combine(_root, "src", "payload");
        await File.WriteAllTextAsync(source, "x", TestContext.Current.CancellationToken);

        var e = await Should.ThrowAsync<FetchException>(new UriFetcher(_http, Path.Combine(_root, "cache"))
            .FetchAsync(new FetchUri("file://" + source, DestPath: destPath), Sandbox(), null, TestContext.Current.CancellationToken));

        e.Message.ShouldContain("outside the sandbox");
        File.Exists("/tmp/harrier-fetch-absolute").ShouldBeFalse();
    }

    private static UnixUser Nobody => UnixUser.Find("nobody") ?? throw new InvalidOperationException("no user nobody");

    private string Sandbox(string name = "sandbox") => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
