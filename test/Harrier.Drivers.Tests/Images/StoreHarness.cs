using Harrier.Drivers.Images;
using Harrier.Testing.Images;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harrier.Drivers.Tests.Images;

/// <summary>A temporary store root and layouts directory; makes <see cref="ImageStore"/>s that speak plain http to
/// the given registries and can never reach Docker Hub (its endpoint is a closed local port).</summary>
internal sealed class StoreHarness : IDisposable
{
    private readonly TempDirectory _temp = new("harrier-store-");
    private readonly List<ImageStore> _stores = [];

    public string Root => _temp.Sub("store");

    public string Work => _temp.Sub("work");

    public ImageStore Store(params string[] insecureHosts) => Store(o => o with { InsecureRegistries = insecureHosts });

    public ImageStore Store(Func<ImageStoreOptions, ImageStoreOptions> configure, TimeProvider? time = null)
    {
        var store = new ImageStore(configure(new ImageStoreOptions
        {
            Root = Root,
            DockerHubEndpoint = new Uri("http://127.0.0.1:9"),
            ConnectTimeout = TimeSpan.FromSeconds(2),
            ResponseTimeout = TimeSpan.FromSeconds(2),
            StallTimeout = TimeSpan.FromSeconds(2),
        }), NullLogger.Instance, time);
        _stores.Add(store);
        return store;
    }

    public TestImageLayout Build(TestImageBuilder builder, string? name = null) =>
        builder.Build(Path.Combine(Work, name ?? Guid.NewGuid().ToString("N")));

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }
        _temp.Dispose();
    }
}
