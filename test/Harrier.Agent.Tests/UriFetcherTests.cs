using System.Diagnostics;
using Harrier.Core.Apps;
using Harrier.Testing;
using Shouldly;
using Xunit;

namespace Harrier.Agent.Tests;

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

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
