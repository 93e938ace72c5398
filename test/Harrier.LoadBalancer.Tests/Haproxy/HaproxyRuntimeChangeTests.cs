using Harrier.LoadBalancer.Haproxy;
using Harrier.Testing;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Haproxy;

/// <summary>Server changes through the runtime API on a real HAProxy: no reload, traffic follows.</summary>
public sealed class HaproxyRuntimeChangeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ApplyAsync_ServerAdded_RuntimeOnlySameProcessesAndTrafficReachesIt()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var b = new TinyBackend("b");
        await using var supervisor = bed.Supervisor();
        await supervisor.StartOrAdoptAsync(bed.Config([a]), Ct);
        bed.Track(supervisor.MasterPid);
        (await bed.AnswersAsync(4)).ShouldBe(["a"]);
        var before = await supervisor.ProcessesAsync(Ct);

        var next = bed.Config([a, b]);
        var result = await supervisor.ApplyAsync(next, Ct);

        result.Outcome.ShouldBe(ApplyOutcome.RuntimeOnly, result.ToString());
        result.Added.ShouldBe(1);
        var after = await supervisor.ProcessesAsync(Ct);
        after.Master.ShouldBe(before.Master);
        after.Workers.ShouldBe(before.Workers);
        after.Reloads.ShouldBe(before.Reloads);
        (await bed.AnswersAsync(6)).ShouldBe(["a", "b"], ignoreOrder: true);
        File.ReadAllText(bed.Paths.ConfigFile).ShouldBe(next.Config);
    }

    [Fact]
    public async Task ApplyAsync_ServerWithHealthCheckAdded_ChecksRunAndItServes()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var b = new TinyBackend("b");
        await using var supervisor = bed.Supervisor();
        await supervisor.StartOrAdoptAsync(bed.Config([a], "option  httpchk GET /", serverOptions: " check inter 200ms fall 2"), Ct);
        bed.Track(supervisor.MasterPid);

        var result = await supervisor.ApplyAsync(bed.Config([a, b], "option  httpchk GET /", serverOptions: " check inter 200ms fall 2"), Ct);

        result.Outcome.ShouldBe(ApplyOutcome.RuntimeOnly, result.ToString());
        await Eventually.TrueAsync(async () => (await supervisor.StatsAsync(Ct)).Any(s => s.Server == HaproxyTestBed.ServerName(b) && s.Status.StartsWith("UP", StringComparison.Ordinal) && b.Served > 0),
            TimeSpan.FromSeconds(10), "the added server's HTTP health checks to reach it");
        (await bed.AnswersAsync(6)).ShouldBe(["a", "b"], ignoreOrder: true);
    }

    [Fact]
    public async Task ApplyAsync_ServerRemovedWithSlowRequest_RequestCompletesThenServerDeleted()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var b = new TinyBackend("b");
        await using var supervisor = bed.Supervisor();
        await supervisor.StartOrAdoptAsync(bed.Config([a, b]), Ct);
        bed.Track(supervisor.MasterPid);
        var workers = (await supervisor.ProcessesAsync(Ct)).Workers;
        b.Hold();
        // Round robin: of two requests one lands on b and waits there.
        var first = bed.GetAsync();
        var second = bed.GetAsync();
        await Eventually.TrueAsync(() => b.Waiting == 1, TimeSpan.FromSeconds(10), "a request held on b");

        var apply = supervisor.ApplyAsync(bed.Config([a]), Ct);
        await Eventually.TrueAsync(async () => (await supervisor.StatsAsync(Ct)).Any(s => s.Server == HaproxyTestBed.ServerName(b) && (s.Status == "DRAIN" || s.Weight == 0)),
            TimeSpan.FromSeconds(10), "b draining");
        apply.IsCompleted.ShouldBeFalse("removal must wait for the in-flight request");
        (await bed.AnswersAsync(3)).ShouldBe(["a"]);
        b.Release();

        (await Task.WhenAll(first, second)).ShouldBe(["a", "b"], ignoreOrder: true);
        var result = await apply.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        result.Outcome.ShouldBe(ApplyOutcome.RuntimeOnly, result.ToString());
        result.Removed.ShouldBe(1);
        (await supervisor.StatsAsync(Ct)).ShouldNotContain(s => s.Server == HaproxyTestBed.ServerName(b));
        (await supervisor.ProcessesAsync(Ct)).Workers.ShouldBe(workers);
    }

    [Fact]
    public async Task ApplyAsync_ServerDisabledThenEnabled_MaintThenReadyWithoutReload()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var b = new TinyBackend("b");
        await using var supervisor = bed.Supervisor();
        await supervisor.StartOrAdoptAsync(bed.Config([a, b]), Ct);
        bed.Track(supervisor.MasterPid);

        (await supervisor.ApplyAsync(bed.Config([a, b], disabled: "b"), Ct)).Toggled.ShouldBe(1);
        (await supervisor.StatsAsync(Ct)).Single(s => s.Server == HaproxyTestBed.ServerName(b)).Status.ShouldBe("MAINT");
        (await bed.AnswersAsync(4)).ShouldBe(["a"]);

        var back = await supervisor.ApplyAsync(bed.Config([a, b]), Ct);
        back.Outcome.ShouldBe(ApplyOutcome.RuntimeOnly);
        (await bed.AnswersAsync(4)).ShouldBe(["a", "b"], ignoreOrder: true);
        (await supervisor.ProcessesAsync(Ct)).Reloads.ShouldBe(0);
    }

    [Fact]
    public async Task ApplyAsync_SameConfig_NoChange()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var supervisor = bed.Supervisor();
        await supervisor.StartOrAdoptAsync(bed.Config([a]), Ct);
        bed.Track(supervisor.MasterPid);

        (await supervisor.ApplyAsync(bed.Config([a]), Ct)).Outcome.ShouldBe(ApplyOutcome.NoChange);
    }
}
