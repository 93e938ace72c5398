using System.Diagnostics;
using Harrier.Testing;
using Harrier.Testing.Images;
using Xunit;

namespace Harrier.Drivers.Tests.Images;

/// <summary>A measurement, not a check (run with <c>-explicit only</c>): pulling a ~100 MB, 5-layer image from a
/// local registry with the store (download, verify, unpack) against <c>skopeo copy</c> to an OCI layout (download
/// and verify only).</summary>
public sealed class ImagePullSpeedTests : IDisposable
{
    private readonly StoreHarness _harness = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Explicit = true)]
    public async Task PullAsync_100MegabyteImage_ComparedWithSkopeo()
    {
        if ((Requirements.Binary("docker-registry") ?? Requirements.Binary("skopeo")) is { } skip)
        {
            Assert.Skip(skip);
        }
        await using var registry = await TestRegistry.StartAsync(cancellationToken: Ct);
        var random = new Random(42);
        var builder = new TestImageBuilder();
        for (var i = 0; i < 5; i++)
        {
            var layer = new TestLayer();
            for (var f = 0; f < 20; f++)
            {
                var content = new byte[1 << 20];
                random.NextBytes(content);
                layer.File($"l{i}/f{f}.bin", content);
            }
            builder.WithLayer(layer);
        }
        var layout = _harness.Build(builder);
        await registry.PushAsync(layout, "big:v1", Ct);

        var skopeo = Stopwatch.StartNew();
        await TestRegistry.RunAsync("skopeo", ["copy", "--quiet", "--src-tls-verify=false", $"docker://{registry.Host}/big:v1", $"oci:{_harness.Work}/skopeo-copy:v1"], Ct);
        skopeo.Stop();
        var store = Stopwatch.StartNew();
        await _harness.Store(registry.Host).PullAsync(registry.Reference("big:v1"), false, null, Ct);
        store.Stop();

        TestContext.Current.SendDiagnosticMessage($"{layout.LayerBytes / 1e6:0.0} MB in 5 layers: skopeo copy {skopeo.Elapsed.TotalSeconds:0.00} s, ImageStore.PullAsync {store.Elapsed.TotalSeconds:0.00} s");
    }

    public void Dispose() => _harness.Dispose();
}
