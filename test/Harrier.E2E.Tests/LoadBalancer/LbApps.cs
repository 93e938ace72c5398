using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Harrier.E2E.Tests.Health;
using Harrier.Testing;

namespace Harrier.E2E.Tests.LoadBalancer;

/// <summary>Test-app definitions with marathon-lb labels, and reading which task answered through the balancer.</summary>
internal static class LbApps
{
    /// <summary>An app of test-app tasks in group <c>external</c> on balancer port <paramref name="lbPort"/>, HTTP-checked every second.</summary>
    public static JsonObject App(string id, int instances, string version, int lbPort, params (string Key, string Value)[] labels)
    {
        var app = TestAppDefinition.App(id, instances, version);
        var l = new JsonObject { ["HAPROXY_GROUP"] = "external", ["HAPROXY_0_PORT"] = lbPort.ToString(CultureInfo.InvariantCulture) };
        foreach (var (key, value) in labels)
        {
            l[key] = value;
        }
        app["labels"] = l;
        app["healthChecks"] = new JsonArray(TestAppDefinition.HttpCheck(intervalSeconds: 1, graceSeconds: 10, maxFailures: 2));
        return app;
    }

    public static async Task CreateAsync(HarrierDev dev, JsonObject app)
    {
        var (status, body, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps", app.ToJsonString());
        if (status != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST /v2/apps -> {(int)status}: {body?.ToJsonString()}");
        }
    }

    /// <summary>The MESOS_TASK_ID of the task that answered <c>GET /env</c> through the balancer, or null on a non-200.</summary>
    public static async Task<string?> AnsweringTaskAsync(LbProcess lb, int port, string? host = null)
    {
        var (status, body) = await lb.GetAsync(port, "/env", host);
        return status == HttpStatusCode.OK ? JsonNode.Parse(body)?["MESOS_TASK_ID"]?.GetValue<string>() : null;
    }

    /// <summary>Waits until <paramref name="requests"/> requests in a row through the balancer are answered by exactly <paramref name="expected"/>.</summary>
    public static async Task WaitServedByAsync(LbProcess lb, int port, IReadOnlySet<string> expected, TimeSpan timeout, int requests = 12, string? host = null)
    {
        HashSet<string?> last = [];
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                var seen = new HashSet<string?>();
                for (var i = 0; i < requests; i++)
                {
                    seen.Add(await AnsweringTaskAsync(lb, port, host));
                }
                last = seen;
                return seen.SetEquals(expected);
            }, timeout, $"requests through the balancer answered by exactly {string.Join(", ", expected)}", TimeSpan.FromMilliseconds(100));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last seen: {string.Join(", ", last)}; lb output:\n{lb.Output}", e);
        }
    }

    public static IReadOnlySet<string> Ids(JsonArray tasks) => tasks.Select(t => AppTasks.Id(t!)).ToHashSet();
}
