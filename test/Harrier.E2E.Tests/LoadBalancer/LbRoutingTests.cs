using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Harrier.E2E.Tests.Health;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests.LoadBalancer;

/// <summary>
/// <c>harrier lb</c> end to end: a real <c>harrier dev</c>, real test-app tasks, a real HAProxy driven by the balancer,
/// all on 127.0.0.1.
/// </summary>
public sealed class LbRoutingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    private static string? Skip() => Requirements.Binary("haproxy");

    [Fact]
    public async Task Lb_ServicePortVhostPathAndAppId_RouteToTheRightHealthyTasks()
    {
        var skips = Skip();
        Assert.SkipWhen(skips is not null, skips ?? "");
        await using var dev = await HarrierDev.StartAsync();
        await using var lb = await LbProcess.StartAsync(dev.Url, "--health-check");
        var webPort = LbProcess.FreePort();
        var apiPort = LbProcess.FreePort();
        await LbApps.CreateAsync(dev, LbApps.App("/web", 2, "web", webPort, ("HAPROXY_0_VHOST", "web.example.test")));
        await LbApps.CreateAsync(dev, LbApps.App("/api", 1, "api", apiPort, ("HAPROXY_0_VHOST", "web.example.test"), ("HAPROXY_0_PATH", "/version")));
        var web = await AppTasks.WaitHealthyAsync(dev, "/web", 2);
        var api = await AppTasks.WaitHealthyAsync(dev, "/api", 1);

        await LbApps.WaitServedByAsync(lb, webPort, LbApps.Ids(web), Wait);
        await LbApps.WaitServedByAsync(lb, apiPort, LbApps.Ids(api), Wait);
        // The :80 frontend routes by Host, and by path within it.
        await LbApps.WaitServedByAsync(lb, lb.HttpPort, LbApps.Ids(web), Wait, host: "web.example.test");
        var (status, body) = await lb.GetAsync(lb.HttpPort, "/version", "web.example.test");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("api", body.Trim());
        // The :9091 frontend routes by X-Marathon-App-Id.
        using var byApp = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{lb.AppIdPort}/version");
        byApp.Headers.Add("X-Marathon-App-Id", "/api");
        using var answer = await lb.Http.SendAsync(byApp);
        Assert.Equal("api", (await answer.Content.ReadAsStringAsync()).Trim());

        // A task that turns unhealthy leaves the balancer; the other keeps serving every request.
        var sick = web[0]!;
        await AppTasks.PostAsync(sick, "/health/fail");
        var healthy = LbApps.Ids(web).Where(t => t != AppTasks.Id(sick)).ToHashSet();
        await LbApps.WaitServedByAsync(lb, webPort, healthy, Wait, requests: 20);
    }

    [Fact]
    public async Task Lb_StatsAuth_StatsPageAsksForCredentials()
    {
        var skips = Skip();
        Assert.SkipWhen(skips is not null, skips ?? "");
        await using var dev = await HarrierDev.StartAsync();
        await using var lb = await LbProcess.StartAsync(dev.Url, "--stats-auth", "admin:s3cret");
        using var anonymous = await lb.Http.GetAsync(new Uri(lb.StatsUrl, "haproxy?stats"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(lb.StatsUrl, "haproxy?stats;csv"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:s3cret")));
        using var authorized = await lb.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
        Assert.StartsWith("# pxname,svname,", await authorized.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lb_StatsEndpoints_AnswerAsMarathonLbs()
    {
        var skips = Skip();
        Assert.SkipWhen(skips is not null, skips ?? "");
        await using var dev = await HarrierDev.StartAsync();
        await using var lb = await LbProcess.StartAsync(dev.Url, "--haproxy-map");
        var port = LbProcess.FreePort();
        await LbApps.CreateAsync(dev, LbApps.App("/mapped", 1, "m", port, ("HAPROXY_0_VHOST", "mapped.example.test")));
        var tasks = await AppTasks.WaitHealthyAsync(dev, "/mapped", 1);
        await LbApps.WaitServedByAsync(lb, port, LbApps.Ids(tasks), Wait);
        async Task<string> Get(string path) => await lb.Http.GetStringAsync(new Uri(lb.StatsUrl, path));
        Assert.Contains("frontend mapped_" + port, await Get("_haproxy_getconfig"), StringComparison.Ordinal);
        Assert.Equal($"mapped.example.test mapped_{port}\n", await Get("_haproxy_getvhostmap"));
        Assert.Equal($"/mapped mapped_{port}\n", await Get("_haproxy_getappmap"));
        var pids = (await Get("_haproxy_getpids")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lb.HaproxyMasterPid!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), pids);
        Assert.Equal(HttpStatusCode.OK, (await lb.Http.GetAsync(new Uri(lb.StatsUrl, "_haproxy_health_check"))).StatusCode);
        Assert.Contains("haproxy_backend_", await Get("metrics"), StringComparison.Ordinal);
        // The signal endpoints reach the balancer: hup makes it read every app again.
        var reads = await ReadsAsync(lb);
        Assert.Equal(HttpStatusCode.OK, (await lb.Http.GetAsync(new Uri(lb.StatsUrl, "_mlb_signal/hup"))).StatusCode);
        await Eventually.TrueAsync(async () => await ReadsAsync(lb) > reads, TimeSpan.FromSeconds(10), "a read after /_mlb_signal/hup");
        Assert.Equal(HttpStatusCode.OK, (await lb.Http.GetAsync(new Uri(lb.StatsUrl, "_mlb_signal/usr1"))).StatusCode);
        // Through map routing on :80.
        await LbApps.WaitServedByAsync(lb, lb.HttpPort, LbApps.Ids(tasks), Wait, host: "mapped.example.test");
    }

    internal static async Task<double> ReadsAsync(LbProcess lb)
    {
        var metrics = await lb.Http.GetStringAsync(new Uri(lb.ControlUrl, "metrics"));
        var line = metrics.Split('\n').First(l => l.StartsWith("harrier_lb_reads_total ", StringComparison.Ordinal));
        return double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static async Task<JsonNode> HealthAsync(LbProcess lb) => JsonNode.Parse(await lb.Http.GetStringAsync(new Uri(lb.ControlUrl, "health")))!;
}
