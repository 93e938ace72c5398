using System.Diagnostics;
using System.Text;
using Harrier.Drivers.Images;
using Harrier.Testing.Images;
using Microsoft.AspNetCore.Http;
using Shouldly;
using Xunit;

namespace Harrier.Drivers.Tests.Images;

/// <summary>Broken and hostile registries: every failure is a precise <see cref="ImagePullException"/>, in bounded
/// time, and leaves nothing but verified content in the store.</summary>
public sealed class ImageStoreFailureTests : IAsyncLifetime
{
    private readonly StoreHarness _harness = new();
    private FakeRegistry _registry = null!;
    private TestImageLayout _layout = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string TopLayerPath => $"/v2/app/blobs/{_layout.LayerDigests[^1]}";

    public async ValueTask InitializeAsync()
    {
        _registry = await FakeRegistry.StartAsync();
        _layout = _harness.Build(new TestImageBuilder().WithLayer(l => l.File("a.txt", new string('a', 5000))).WithLayer(l => l.File("b.txt", "b")));
        _registry.Add("app", "v1", _layout);
    }

    [Fact]
    public async Task PullAsync_MissingImage_NotFoundNamingTheImage()
    {
        var e = await PullFailsAsync("nope:v1");

        e.Failure.ShouldBe(ImagePullFailure.NotFound);
        e.Message.ShouldStartWith($"Failed to pull image '{_registry.Host}/nope:v1': ");
        e.Message.ShouldContain("MANIFEST_UNKNOWN");
    }

    [Fact]
    public async Task PullAsync_BlobNotMatchingItsDigest_InvalidContentAndNothingKept()
    {
        var real = await File.ReadAllBytesAsync(_layout.BlobPath(_layout.LayerDigests[^1]), Ct);
        var forged = TestLayer.Compress(new TestLayer().File("b.txt", "X").ToTar(), LayerCompression.Gzip);
        Array.Resize(ref forged, real.Length);
        Serve(TopLayerPath, forged);

        var e = await PullFailsAsync();

        e.Failure.ShouldBe(ImagePullFailure.InvalidContent);
        e.Message.ShouldContain("does not match its digest");
        AssertNothingOf(_layout.LayerDigests[^1]);
    }

    [Fact]
    public async Task PullAsync_BlobShorterThanItsDescriptor_InvalidContent()
    {
        var real = await File.ReadAllBytesAsync(_layout.BlobPath(_layout.LayerDigests[^1]), Ct);
        Serve(TopLayerPath, real[..^10]);

        var e = await PullFailsAsync();

        e.Failure.ShouldBe(ImagePullFailure.InvalidContent);
        e.Message.ShouldContain("cut short");
        AssertNothingOf(_layout.LayerDigests[^1]);
    }

    [Fact]
    public async Task PullAsync_BodyEndingBeforeItsContentLength_RegistryUnavailable()
    {
        var real = await File.ReadAllBytesAsync(_layout.BlobPath(_layout.LayerDigests[^1]), Ct);
        _registry.Overrides[TopLayerPath] = async context =>
        {
            context.Response.ContentLength = real.Length;
            await context.Response.Body.WriteAsync(real.AsMemory(0, real.Length / 2));
            await context.Response.Body.FlushAsync();
            context.Abort();
        };

        var e = await PullFailsAsync();

        e.Failure.ShouldBe(ImagePullFailure.RegistryUnavailable);
        AssertNothingOf(_layout.LayerDigests[^1]);
    }

    [Fact]
    public async Task PullAsync_RegistryNeverAnswering_RegistryUnavailableWithinTheTimeout()
    {
        _registry.Overrides["/v2/app/manifests/v1"] = context => Task.Delay(Timeout.Infinite, context.RequestAborted);
        var watch = Stopwatch.StartNew();

        var e = await PullFailsAsync();

        e.Failure.ShouldBe(ImagePullFailure.RegistryUnavailable);
        e.Message.ShouldContain("did not answer within 2 s");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task PullAsync_BodyStalling_RegistryUnavailableWithinTheStallTimeout()
    {
        _registry.Overrides[TopLayerPath] = async context =>
        {
            context.Response.ContentLength = 1000;
            await context.Response.Body.WriteAsync(new byte[10]);
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        };
        var watch = Stopwatch.StartNew();

        var e = await PullFailsAsync();

        e.Failure.ShouldBe(ImagePullFailure.RegistryUnavailable);
        e.Message.ShouldContain("stopped sending");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PullAsync_ManifestOverTheSizeLimit_InvalidContent(bool withContentLength)
    {
        var huge = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"pad\":\"" + new string('x', 4096) + "\"}");
        _registry.Overrides["/v2/app/manifests/v1"] = async context =>
        {
            context.Response.ContentType = "application/vnd.oci.image.manifest.v1+json";
            if (withContentLength)
            {
                context.Response.ContentLength = huge.Length;
            }
            for (var i = 0; i < huge.Length; i += 500)
            {
                await context.Response.Body.WriteAsync(huge.AsMemory(i, Math.Min(500, huge.Length - i)));
                await context.Response.Body.FlushAsync();
            }
        };

        var e = await Should.ThrowAsync<ImagePullException>(() =>
            _harness.Store(o => o with { InsecureRegistries = [_registry.Host], MaxManifestBytes = 1024 }).PullAsync(_registry.Reference("app:v1"), false, null, Ct));

        e.Failure.ShouldBe(ImagePullFailure.InvalidContent);
        e.Message.ShouldContain("1024 byte limit");
    }

    [Fact]
    public async Task PullAsync_ServerError_RegistryUnavailable()
    {
        _registry.Overrides[TopLayerPath] = context =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        };

        (await PullFailsAsync()).Failure.ShouldBe(ImagePullFailure.RegistryUnavailable);
    }

    [Fact]
    public async Task PullAsync_ConnectionRefused_RegistryUnavailable()
    {
        var e = await Should.ThrowAsync<ImagePullException>(() => _harness.Store("127.0.0.1:9").PullAsync("127.0.0.1:9/app:v1", false, null, Ct));

        e.Failure.ShouldBe(ImagePullFailure.RegistryUnavailable);
        e.Message.ShouldContain("cannot reach 127.0.0.1:9");
    }

    [Fact]
    public async Task PullAsync_LayerEscapingItsDirectory_UnsafeLayerAndNoLayerKept()
    {
        var hostile = _harness.Build(new TestImageBuilder().WithLayer(l => l.File("ok", "ok")).WithLayer(l => l.Symlink("x", "/tmp").File("x/pwned", "x")));
        _registry.Add("hostile", "v1", hostile);

        var e = await PullFailsAsync("hostile:v1");

        e.Failure.ShouldBe(ImagePullFailure.UnsafeLayer);
        e.Message.ShouldContain("'x/pwned'");
        File.Exists("/tmp/pwned").ShouldBeFalse();
        Directory.Exists(Path.Combine(_harness.Root, "layers", hostile.DiffIds[1][7..])).ShouldBeFalse();
        Directory.EnumerateDirectories(Path.Combine(_harness.Root, "layers")).ShouldAllBe(d => !d.Contains(".tmp-"));
    }

    public async ValueTask DisposeAsync()
    {
        await _registry.DisposeAsync();
        _harness.Dispose();
    }

    private Task<ImagePullException> PullFailsAsync(string image = "app:v1") =>
        Should.ThrowAsync<ImagePullException>(() => _harness.Store(_registry.Host).PullAsync(_registry.Reference(image), false, null, Ct));

    private void Serve(string path, byte[] body) => _registry.Overrides[path] = async context =>
    {
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body);
    };

    /// <summary>Neither the blob, nor a temporary file of it, nor its layer is in the store.</summary>
    private void AssertNothingOf(string digest)
    {
        var blobs = Path.Combine(_harness.Root, "blobs", "sha256");
        var hex = digest["sha256:".Length..];
        Directory.EnumerateFiles(blobs).ShouldAllBe(f => !Path.GetFileName(f).StartsWith(hex, StringComparison.Ordinal));
        Directory.EnumerateFiles(blobs).ShouldAllBe(f => !f.Contains(".tmp-"));
        Directory.Exists(Path.Combine(_harness.Root, "layers", _layout.DiffIds[^1][7..])).ShouldBeFalse();
    }
}
