using System.Text.Json.Nodes;
using Harrier.LoadBalancer.Draining;
using Harrier.LoadBalancer.Live;
using Harrier.LoadBalancer.Marathon;
using Harrier.LoadBalancer.Rendering;
using Harrier.LoadBalancer.Tests.Marathon;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Xunit;

namespace Harrier.LoadBalancer.Tests.Live;

public sealed class BalancerTests
{
    private static readonly LbOptions Options = new();

    /// <summary>App /web with tasks <c>web.N</c>, each at 10.0.0.N:(31000 + N - 1) whatever else the body lists.</summary>
    private static string Body(params string[] taskIds)
    {
        var app = AppsBuilder.App("/web", 10000);
        var tasks = app["tasks"]!.AsArray();
        tasks.Clear();
        foreach (var id in taskIds)
        {
            var n = int.Parse(id[(id.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            tasks.Add(AppsBuilder.Task(id, $"10.0.0.{n}", 31000 + n - 1));
        }
        return AppsBuilder.Body(app);
    }

    private static Balancer Make(FakeProxy proxy) =>
        new(body => LbRenderer.Render(body, Options), proxy, TimeSpan.FromSeconds(1), TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task DrainAsync_TaskStillRunningInTheApps_DrainedAndLeftOutOfEveryLaterConfig()
    {
        var proxy = new FakeProxy();
        var balancer = Make(proxy);
        var resets = 0;
        balancer.RequestReset = () => resets++;
        await balancer.StartAsync(Body("web.1", "web.2"), default);

        await balancer.DrainAsync(new DrainRequest("web.1", "/web"), default);
        // Harrier keeps the task RUNNING until the held kill goes out: the next body still lists it.
        await balancer.OnAppsAsync(Body("web.1", "web.2"), default);

        proxy.Drained.ShouldBe([("web_10000", "10_0_0_1_31000")]);
        resets.ShouldBe(1);
        proxy.Applied[^1].Servers.Select(s => s.TaskId).ShouldBe(["web.2"]);
        balancer.DrainedTasks.ShouldBe(1);

        // Once the task has left the apps, it is forgotten.
        await balancer.OnAppsAsync(Body("web.2", "web.3"), default);
        balancer.DrainedTasks.ShouldBe(0);
        proxy.Applied[^1].Servers.Select(s => s.TaskId).ShouldBe(["web.2", "web.3"]);
    }

    [Fact]
    public async Task DrainAsync_ApplyAddingTheTaskInFlight_DrainsItsServerOnceApplied()
    {
        // The server's deployment saw web.2 healthy and a kill of it came at once, while the balancer was still
        // adding web.2's server: confirmed from the config before that apply, nothing was drained and the task was
        // killed while HAProxy sent it requests (wrk's read errors in Lb_HundredScaleRestartAndKillChangesUnderWrk).
        var proxy = new FakeProxy();
        var balancer = Make(proxy);
        await balancer.StartAsync(Body("web.1"), default);
        proxy.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var apply = balancer.OnAppsAsync(Body("web.1", "web.2"), default);
        await proxy.ApplyEntered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var drain = balancer.DrainAsync(new DrainRequest("web.2", "/web"), default);
        var drainedBeforeTheApply = drain.IsCompleted;
        proxy.Hold.SetResult();
        await apply.WaitAsync(TimeSpan.FromSeconds(10));
        await drain.WaitAsync(TimeSpan.FromSeconds(10));

        drainedBeforeTheApply.ShouldBeFalse();
        proxy.Drained.ShouldBe([("web_10000", "10_0_0_2_31001")]);
    }

    [Fact]
    public async Task DrainAsync_ApplyInFlightWithoutTheTask_DrainsAtOnce()
    {
        var proxy = new FakeProxy();
        var balancer = Make(proxy);
        await balancer.StartAsync(Body("web.1", "web.2"), default);
        proxy.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var apply = balancer.OnAppsAsync(Body("web.2", "web.3"), default);
        await proxy.ApplyEntered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // web.1 leaves in the apply in flight: what runs still has its server, and draining it does not wait.
        await balancer.DrainAsync(new DrainRequest("web.1", "/web"), default).WaitAsync(TimeSpan.FromSeconds(10));
        proxy.Drained.ShouldBe([("web_10000", "10_0_0_1_31000")]);
        proxy.Hold.SetResult();
        await apply.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task DrainAsync_TaskNotFronted_ConfirmsWithoutDraining()
    {
        var proxy = new FakeProxy();
        var balancer = Make(proxy);
        await balancer.StartAsync(Body("web.1"), default);
        await balancer.DrainAsync(new DrainRequest("other.9", "/other"), default);
        proxy.Drained.ShouldBeEmpty();
    }

    [Fact]
    public async Task OnAppsAsync_ProxyRefuses_PreviousStaysAppliedAndTheErrorClearsWhenUndone()
    {
        var proxy = new FakeProxy();
        var balancer = Make(proxy);
        await balancer.StartAsync(Body("web.1"), default);
        proxy.Refuse = "haproxy.cfg:42: unknown keyword";

        await balancer.OnAppsAsync(Body("web.1", "web.2"), default);

        balancer.LastError.ShouldNotBeNull();
        balancer.LastError.ShouldContain("unknown keyword");
        balancer.Rejected.ShouldBe(1);
        balancer.Applied!.Servers.Count.ShouldBe(1);
        proxy.Refuse = null;
        await balancer.OnAppsAsync(Body("web.1"), default);
        balancer.LastError.ShouldBeNull();
    }

    [Fact]
    public async Task OnAppsAsync_ProxySocketFails_ReportedAndRetriedNeverThrown()
    {
        var proxy = new FakeProxy();
        var balancer = Make(proxy);
        var resets = 0;
        balancer.RequestReset = () => Interlocked.Increment(ref resets);
        await balancer.StartAsync(Body("web.1"), default);
        proxy.Throw = new TimeoutException("the master CLI did not answer within 5 s");

        await balancer.OnAppsAsync(Body("web.1", "web.2"), default);

        balancer.LastError!.ShouldContain("did not answer");
        await Harrier.Testing.Eventually.TrueAsync(() => Volatile.Read(ref resets) == 1, TimeSpan.FromSeconds(5), "a retry asked for");
        proxy.Throw = null;
        await balancer.OnAppsAsync(Body("web.1", "web.2"), default);
        balancer.LastError.ShouldBeNull();
        proxy.Applied[^1].Servers.Count.ShouldBe(2);
    }

    [Fact]
    public async Task OnAppsAsync_BodyNotApps_KeepsTheRunningConfigAndSaysWhy()
    {
        var proxy = new FakeProxy();
        var balancer = Make(proxy);
        await balancer.StartAsync(Body("web.1"), default);
        await balancer.OnAppsAsync("""{"apps":"nope"}""", default);
        proxy.Applied.ShouldBeEmpty();
        balancer.LastError!.ShouldContain("could not be read");
        balancer.Applied!.Servers.Count.ShouldBe(1);
    }

    [Fact]
    public async Task StartAsync_ServerSilent_AdoptedProxyKeepsWhatItRuns()
    {
        var proxy = new FakeProxy();
        var balancer = Make(proxy);
        await balancer.StartAsync(null, default);
        proxy.KeptAdopted.ShouldBeTrue();
        balancer.Applied.ShouldBeNull();
        // The first answer is then applied whole (the proxy diffs it against what runs).
        await balancer.OnAppsAsync(Body("web.1"), default);
        proxy.Applied.Count.ShouldBe(1);
    }

    [Fact]
    public void Metrics_Format_OwnAndPerBackendFamilies()
    {
        var stats = new ProxyStats(
            [
                new ProxyStatRow("web_10000", "FRONTEND", "OPEN", 1, 10, 10, 0, 0, 0, 0, 0, 0, 0),
                new ProxyStatRow("web_10000", "BACKEND", "UP", 2, 20, 19, 1, 3, 4, 0, 1, 12, 15),
                new ProxyStatRow("web_10000", "10_0_0_1_31000", "UP", 2, 20, 19, 1, 3, 4, 0, 1, 12, 15),
                new ProxyStatRow("we\"ird", "BACKEND", "DOWN", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            ],
            [1, 2]);
        var text = LbMetrics.Format(new LbMetrics.Own(true, 1.5, 7, 2, 30, 1, 4, true, 3), stats);
        text.ShouldContain("harrier_lb_up 1\n");
        text.ShouldContain("harrier_lb_runtime_changes_total 30\n");
        text.ShouldContain("harrier_lb_backend_requests_total{backend=\"web_10000\"} 19\n");
        text.ShouldContain("harrier_lb_backend_responses_5xx_total{backend=\"web_10000\"} 1\n");
        text.ShouldContain("harrier_lb_backend_response_time_seconds{backend=\"web_10000\"} 0.012\n");
        text.ShouldContain("harrier_lb_backend_up{backend=\"we\\\"ird\"} 0\n");
        text.ShouldNotContain("10_0_0_1_31000");
    }
}
