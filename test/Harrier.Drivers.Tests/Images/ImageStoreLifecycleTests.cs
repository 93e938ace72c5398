using Harrier.Drivers.Images;
using Harrier.Testing.Images;
using Shouldly;
using Xunit;

namespace Harrier.Drivers.Tests.Images;

/// <summary>Use and release, listing, removal and garbage collection.</summary>
public sealed class ImageStoreLifecycleTests : IAsyncLifetime
{
    private readonly StoreHarness _harness = new();
    private readonly Dictionary<string, TestImageLayout> _layouts = [];
    private FakeRegistry _registry = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _registry = await FakeRegistry.StartAsync();
        // Three images over one shared base layer, each with its own 100 KB layer.
        foreach (var name in new[] { "one", "two", "three" })
        {
            var layout = _harness.Build(new TestImageBuilder().WithLayer(l => l.File("base", new string('b', 50_000)))
                .WithLayer(l => l.File(name, new string(name[0], 100_000))));
            _registry.Add(name, "v1", layout);
            _layouts[name] = layout;
        }
    }

    [Fact]
    public async Task List_AfterUse_ShowsTheUsersAndTheLastUse()
    {
        var store = Store();
        var image = await PullAsync(store, "one");

        store.Use(image, "task-1");
        store.Use(image, "task-2");

        var listed = store.List().ShouldHaveSingleItem();
        listed.Reference.ShouldBe(image.Reference);
        listed.Size.ShouldBe(150_000);
        listed.InUseBy.ShouldBe(["task-1", "task-2"]);
        store.Release("task-1");
        store.List()[0].InUseBy.ShouldBe(["task-2"]);
    }

    [Fact]
    public async Task Remove_ImageInUse_ThrowsAndKeepsIt()
    {
        var store = Store();
        var image = await PullAsync(store, "one");
        store.Use(image, "task-1");

        Should.Throw<InvalidOperationException>(() => store.Remove(image.Reference)).Message.ShouldContain("task-1");

        store.List().Count.ShouldBe(1);
        image.LayerDirectories.ShouldAllBe(d => Directory.Exists(d));
    }

    [Fact]
    public async Task Remove_UnusedImage_DeletesItsOwnLayersButNotSharedOnes()
    {
        var store = Store();
        var one = await PullAsync(store, "one");
        var two = await PullAsync(store, "two");

        store.Remove(_registry.Reference("one:v1")).ShouldBeTrue();

        store.List().Select(i => i.Reference).ShouldBe([two.Reference]);
        Directory.Exists(one.LayerDirectories[1]).ShouldBeFalse();
        Directory.Exists(one.LayerDirectories[0]).ShouldBeTrue(); // shared with "two"
        File.Exists(Path.Combine(_harness.Root, "blobs", "sha256", one.ConfigDigest[7..])).ShouldBeFalse();
        store.Remove(two.ConfigDigest).ShouldBeTrue(); // by digest
        Directory.EnumerateDirectories(Path.Combine(_harness.Root, "layers")).ShouldBeEmpty();
        store.Remove("no/such:image").ShouldBeFalse();
    }

    [Fact]
    public async Task CollectGarbage_OverBudget_RemovesLeastRecentlyUsedUnusedImagesUntilUnder()
    {
        var time = new ManualClock();
        // Budget for the base and two own layers: 250 KB of 350 KB.
        var store = _harness.Store(o => o with { InsecureRegistries = [_registry.Host], GcThresholdBytes = 260_000 }, time);
        var one = await PullAsync(store, "one");
        time.Advance();
        var two = await PullAsync(store, "two");
        time.Advance();
        var three = await PullAsync(store, "three");
        time.Advance();
        store.Use(one, "task-1"); // the oldest pull, but in use, and now the most recently used

        var freed = store.CollectGarbage();

        freed.ShouldBeGreaterThanOrEqualTo(100_000);
        store.List().Select(i => i.Reference).ShouldBe([one.Reference, three.Reference], ignoreOrder: true);
        Directory.Exists(two.LayerDirectories[1]).ShouldBeFalse();
        store.CollectGarbage().ShouldBe(0);
    }

    [Fact]
    public async Task CollectGarbage_EveryImageInUse_RemovesNothing()
    {
        var store = _harness.Store(o => o with { InsecureRegistries = [_registry.Host], GcThresholdBytes = 0 });
        var one = await PullAsync(store, "one");
        var two = await PullAsync(store, "two");
        store.Use(one, "t1");
        store.Use(two, "t2");

        store.CollectGarbage().ShouldBe(0);

        store.List().Count.ShouldBe(2);
        store.Release("t1");
        store.CollectGarbage().ShouldBe(100_000 + new FileInfo(_layouts["one"].BlobPath(one.ConfigDigest)).Length); // its layer and config
        store.List().Single().Reference.ShouldBe(two.Reference);
    }

    public async ValueTask DisposeAsync()
    {
        await _registry.DisposeAsync();
        _harness.Dispose();
    }

    private ImageStore Store() => _harness.Store(_registry.Host);

    private Task<PulledImage> PullAsync(ImageStore store, string name) => store.PullAsync(_registry.Reference(name + ":v1"), false, null, Ct);

    /// <summary>A clock a test moves by hand, one minute at a time.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public void Advance() => _now += TimeSpan.FromMinutes(1);

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
