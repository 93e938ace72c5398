using Harrier.Testing;
using Harrier.Testing.Images;
using Xunit;

namespace Harrier.E2E.Tests.Containers;

/// <summary>
/// One local registry for a test class, holding the guides' stand-in images (<see cref="GuideImages"/>) under their
/// Docker Hub names, so <c>harrier dev --registry-mirror</c> runs the guides' definitions unchanged. Nothing comes
/// from outside. When root, crun or the registry tools are missing the tests skip (and fail with <c>CI=true</c>).
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "harrier-e2e-images-" + Guid.NewGuid().ToString("N")[..8]);

    public TestRegistry? Registry { get; private set; }

    public string? SkipReason { get; private set; }

    /// <summary>The <c>harrier dev</c> flags that make Docker Hub names come from this registry, and only from it.</summary>
    public string[] MirrorArgs => ["--registry-mirror", Registry!.Url.ToString().TrimEnd('/'), "--docker-hub", "none"];

    public async ValueTask InitializeAsync()
    {
        SkipReason = Requirements.Root() ?? Requirements.Binary("crun") ?? Requirements.Binary("docker-registry") ?? Requirements.Binary("skopeo")
            ?? Requirements.Missing(File.Exists("/bin/busybox"), "busybox-static (/bin/busybox)");
        if (SkipReason is not null)
        {
            return;
        }
        Registry = await TestRegistry.StartAsync();
        await GuideImages.PushAllAsync(Registry, _work);
    }

    public async ValueTask DisposeAsync()
    {
        if (Registry is not null)
        {
            await Registry.DisposeAsync();
        }
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    /// <summary>Skips the test (or fails it under CI) when the machine cannot run containers.</summary>
    public void Require()
    {
        if (SkipReason is not null)
        {
            Assert.Skip(SkipReason);
        }
    }
}
