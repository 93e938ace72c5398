using Harrier.LoadBalancer.Haproxy;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Haproxy;

/// <summary>marathon-lb's endpoints on the stats listener, served by the Lua services the supervisor writes.</summary>
public sealed class HaproxyLuaServicesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Getpids_Running_ListsExactlyThisMasterAndItsWorkers()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var supervisor = bed.Supervisor();
        await supervisor.StartOrAdoptAsync(bed.Config([a]), Ct);
        bed.Track(supervisor.MasterPid);
        var procs = await supervisor.ProcessesAsync(Ct);

        var pids = await bed.GetAsync("/_haproxy_getpids", bed.StatsPort);

        pids.Split(' ').Select(int.Parse).ShouldBe(procs.Workers.Prepend(procs.Master), ignoreOrder: true);
    }

    [Fact]
    public async Task Getpids_AfterReload_ListsTheNewWorker()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var supervisor = bed.Supervisor();
        await supervisor.StartOrAdoptAsync(bed.Config([a]), Ct);
        bed.Track(supervisor.MasterPid);

        (await supervisor.ApplyAsync(bed.Config([a], "option  httpchk GET /"), Ct)).Outcome.ShouldBe(ApplyOutcome.Reloaded);
        var procs = await supervisor.ProcessesAsync(Ct);

        var pids = (await bed.GetAsync("/_haproxy_getpids", bed.StatsPort)).Split(' ').Select(int.Parse).ToList();
        pids.ShouldContain(procs.Master);
        pids.ShouldContain(procs.Workers.Single());
        pids.ShouldBeSubsetOf(procs.Workers.Concat(procs.OldWorkers).Append(procs.Master));
    }

    [Fact]
    public async Task Getconfig_AfterRuntimeChange_ServesTheConfigThatRuns()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var b = new TinyBackend("b");
        await using var supervisor = bed.Supervisor();
        await supervisor.StartOrAdoptAsync(bed.Config([a]), Ct);
        bed.Track(supervisor.MasterPid);
        (await bed.GetAsync("/_haproxy_getconfig", bed.StatsPort)).ShouldBe(bed.Config([a]).Config);

        var next = bed.Config([a, b]);
        (await supervisor.ApplyAsync(next, Ct)).Outcome.ShouldBe(ApplyOutcome.RuntimeOnly);

        (await bed.GetAsync("/_haproxy_getconfig", bed.StatsPort)).ShouldBe(next.Config);
    }

    [Fact]
    public async Task Getmaps_WithAndWithoutMapFiles_ServeTheirContentOrEmpty()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var supervisor = bed.Supervisor();
        await supervisor.StartOrAdoptAsync(bed.Config([a], domainMap: "app.example.com app_10000\n"), Ct);
        bed.Track(supervisor.MasterPid);

        (await bed.GetAsync("/_haproxy_getvhostmap", bed.StatsPort)).ShouldBe("app.example.com app_10000\n");
        (await bed.GetAsync("/_haproxy_getappmap", bed.StatsPort)).ShouldBe("");
    }

    [Fact]
    public async Task SignalHup_ControlPortListening_PostsToItAndAnswersMarathonLbText()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var control = new TinyBackend("control");
        await using var supervisor = bed.Supervisor(controlPort: control.Port);
        await supervisor.StartOrAdoptAsync(bed.Config([a]), Ct);
        bed.Track(supervisor.MasterPid);

        (await bed.GetAsync("/_mlb_signal/hup", bed.StatsPort)).ShouldBe("Sent SIGHUP signal to marathon-lb");
        (await bed.GetAsync("/_mlb_signal/usr1", bed.StatsPort)).ShouldBe("Sent SIGUSR1 signal to marathon-lb");

        control.RequestLines.ShouldBe(["POST /_mlb_signal/hup HTTP/1.1", "POST /_mlb_signal/usr1 HTTP/1.1"]);
    }

    [Fact]
    public async Task SignalHup_NothingOnControlPort_Answers500WithMarathonLbText()
    {
        await using var bed = HaproxyTestBed.Create(out var skip);
        Assert.SkipWhen(bed is null, skip ?? "");
        await using var a = new TinyBackend("a");
        await using var supervisor = bed.Supervisor(controlPort: HaproxyTestBed.FreePort());
        await supervisor.StartOrAdoptAsync(bed.Config([a]), Ct);
        bed.Track(supervisor.MasterPid);

        using var response = await bed.Http.GetAsync($"http://127.0.0.1:{bed.StatsPort}/_mlb_signal/hup", Ct);

        ((int)response.StatusCode).ShouldBe(500);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldStartWith("Failed to send SIGHUP signal to marathon-lb (exit code ");
    }
}
