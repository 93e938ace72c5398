using System.Diagnostics;
using Harrier.LoadBalancer.Haproxy;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Haproxy;

/// <summary>Shape changes reload seamlessly; configs HAProxy refuses leave the running one serving.</summary>
public sealed class HaproxyReloadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ApplyAsync_ShapeChangedUnderTraffic_ReloadsToNewWorkerWithoutFailedRequest()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var b = new TinyBackend("b");
        await using var supervisor = bed.Supervisor();
        await supervisor.StartOrAdoptAsync(bed.Config([a, b]), Ct);
        bed.Track(supervisor.MasterPid);
        var before = await supervisor.ProcessesAsync(Ct);

        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var ok = 0;
        var load = Task.Run(async () =>
        {
            var watch = Stopwatch.StartNew();
            while (!stop.IsCancellationRequested && watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                try
                {
                    await bed.GetAsync();
                    ok++;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    failures.Add(e.Message);
                }
            }
        }, Ct);
        await Task.Delay(200, Ct);
        var result = await supervisor.ApplyAsync(bed.Config([a, b], "option  httpchk GET /"), Ct);
        await Task.Delay(300, Ct);
        await stop.CancelAsync();
        await load;

        result.Outcome.ShouldBe(ApplyOutcome.Reloaded, result.ToString());
        var after = await supervisor.ProcessesAsync(Ct);
        after.Master.ShouldBe(before.Master);
        after.Workers.ShouldNotContain(before.Workers[0]);
        after.Reloads.ShouldBe(before.Reloads + 1);
        failures.ShouldBeEmpty();
        ok.ShouldBeGreaterThan(10);
    }

    [Fact]
    public async Task ApplyAsync_ConfigRefused_RejectedWithHaproxyErrorOldConfigServesAndStaysOnDisk()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var supervisor = bed.Supervisor();
        var good = bed.Config([a]);
        await supervisor.StartOrAdoptAsync(good, Ct);
        bed.Track(supervisor.MasterPid);
        var before = await supervisor.ProcessesAsync(Ct);

        var result = await supervisor.ApplyAsync(bed.Config([a], "balance no-such-algorithm"), Ct);

        result.Outcome.ShouldBe(ApplyOutcome.Rejected);
        result.Error.ShouldNotBeNull();
        result.Error.ShouldContain("[ALERT]");
        result.Error.ShouldContain(bed.Paths.ConfigFile + ":");
        result.Error.ShouldContain("balance");
        File.ReadAllText(bed.Paths.ConfigFile).ShouldBe(good.Config);
        File.Exists(bed.Paths.ConfigFile + ".next").ShouldBeFalse();
        (await bed.AnswersAsync(2)).ShouldBe(["a"]);
        (await supervisor.ProcessesAsync(Ct)).Workers.ShouldBe(before.Workers);
        // The running config is still what later applies compare with.
        (await supervisor.ApplyAsync(good, Ct)).Outcome.ShouldBe(ApplyOutcome.NoChange);
    }

    [Fact]
    public async Task ApplyAsync_ServerOptionRuntimeRefuses_ReloadsInstead()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var b = new TinyBackend("b");
        await using var supervisor = bed.Supervisor();
        await supervisor.StartOrAdoptAsync(bed.Config([a], "cookie mesosphere_server_id insert indirect nocache", serverOptions: " cookie 0123456789"), Ct);
        bed.Track(supervisor.MasterPid);

        var result = await supervisor.ApplyAsync(bed.Config([a, b], "cookie mesosphere_server_id insert indirect nocache", serverOptions: " cookie 0123456789"), Ct);

        result.Outcome.ShouldBe(ApplyOutcome.Reloaded);
        result.ReloadReason!.ShouldContain("cookie");
        (await bed.AnswersAsync(4)).ShouldBe(["a", "b"], ignoreOrder: true);
    }

    [Fact]
    public async Task StartOrAdoptAsync_ConfigRefused_ThrowsWithHaproxyError()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var supervisor = bed.Supervisor();

        var e = await Should.ThrowAsync<InvalidOperationException>(() => supervisor.StartOrAdoptAsync(bed.Config([a], "balance no-such-algorithm"), Ct));

        e.Message.ShouldContain("[ALERT]");
        e.Message.ShouldContain("balance");
        File.Exists(bed.Paths.PidFile).ShouldBeFalse();
    }
}
