using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Haproxy;

/// <summary>The drain confirmation the server waits for before it kills a task.</summary>
public sealed class HaproxyDrainTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DrainAsync_InFlightRequestCompletes_TrueAndNoNewTraffic()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var b = new TinyBackend("b");
        await using var supervisor = bed.Supervisor();
        await supervisor.StartOrAdoptAsync(bed.Config([a, b]), Ct);
        bed.Track(supervisor.MasterPid);
        b.Hold();
        var first = bed.GetAsync();
        var second = bed.GetAsync();
        await Harrier.Testing.Eventually.TrueAsync(() => b.Waiting == 1, TimeSpan.FromSeconds(10), "a request held on b");

        var drain = supervisor.DrainAsync("app_10000", HaproxyTestBed.ServerName(b), TimeSpan.FromSeconds(20), Ct);
        await Harrier.Testing.Eventually.TrueAsync(async () => (await supervisor.StatsAsync(Ct)).Any(s => s.Server == HaproxyTestBed.ServerName(b) && s.Status == "DRAIN"),
            TimeSpan.FromSeconds(10), "b draining");
        (await bed.AnswersAsync(3)).ShouldBe(["a"]);
        drain.IsCompleted.ShouldBeFalse();
        b.Release();

        (await drain.WaitAsync(TimeSpan.FromSeconds(15), Ct)).ShouldBeTrue();
        (await Task.WhenAll(first, second)).ShouldBe(["a", "b"], ignoreOrder: true);
    }

    [Fact]
    public async Task DrainAsync_StuckRequest_FalseAtTimeout()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var supervisor = bed.Supervisor();
        await supervisor.StartOrAdoptAsync(bed.Config([a]), Ct);
        bed.Track(supervisor.MasterPid);
        a.Hold();
        var stuck = bed.GetAsync();
        await Harrier.Testing.Eventually.TrueAsync(() => a.Waiting == 1, TimeSpan.FromSeconds(10), "a request held on a");

        var started = System.Diagnostics.Stopwatch.StartNew();
        var drained = await supervisor.DrainAsync("app_10000", HaproxyTestBed.ServerName(a), TimeSpan.FromMilliseconds(500), Ct);

        drained.ShouldBeFalse();
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        a.Release();
        (await stuck).ShouldBe("a");
    }
}
