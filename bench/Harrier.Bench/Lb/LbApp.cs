using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Harrier.Bench.Lb;

/// <summary>The benchmark's one app: <c>harrier-testapp</c> tasks in group <c>external</c> on a fixed service port, HTTP-checked every second.</summary>
internal sealed class LbApp(DevServer server, string id, int servicePort)
{
    public string Id => id;
    public int ServicePort => servicePort;

    public async Task CreateAsync(int instances)
    {
        var cmd = $"exec {RolloutBenchmark.DotnetHost()} {RolloutBenchmark.TestAppDll()} --version-string v1";
        var app = new JsonObject
        {
            ["id"] = id,
            ["cmd"] = cmd,
            ["cpus"] = 0.05,
            ["mem"] = 128,
            ["resourceLimits"] = new JsonObject { ["cpus"] = "unlimited" },
            ["instances"] = instances,
            ["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = 0, ["name"] = "http" }),
            ["labels"] = new JsonObject { ["HAPROXY_GROUP"] = "external", ["HAPROXY_0_PORT"] = servicePort.ToString(CultureInfo.InvariantCulture) },
            ["healthChecks"] = new JsonArray(new JsonObject
            {
                ["protocol"] = "HTTP",
                ["path"] = "/health",
                ["portIndex"] = 0,
                ["intervalSeconds"] = 1,
                ["timeoutSeconds"] = 1,
                ["gracePeriodSeconds"] = 10,
                ["maxConsecutiveFailures"] = 2,
            }),
            ["upgradeStrategy"] = new JsonObject { ["minimumHealthCapacity"] = 1, ["maximumOverCapacity"] = 0.5 },
            ["taskKillGracePeriodSeconds"] = 5,
        };
        (await server.Http.PostAsJsonAsync("/v2/apps", app)).EnsureSuccessStatusCode();
        await WaitSettledAsync(instances, TimeSpan.FromSeconds(120));
    }

    public async Task ScaleAsync(int instances) =>
        (await server.Http.PutAsync($"/v2/apps{id}", Json(new JsonObject { ["instances"] = instances, ["resourceLimits"] = new JsonObject { ["cpus"] = "unlimited" } }))).EnsureSuccessStatusCode();

    public async Task RestartAsync() => (await server.Http.PostAsync($"/v2/apps{id}/restart", null)).EnsureSuccessStatusCode();

    public async Task KillAndScaleAsync(string taskId) => (await server.Http.DeleteAsync($"/v2/apps{id}/tasks/{taskId}?scale=true")).EnsureSuccessStatusCode();

    /// <summary>The app's TASK_RUNNING tasks, oldest first: (id, first host port).</summary>
    public async Task<IReadOnlyList<(string Id, int Port)>> RunningAsync()
    {
        var tasks = (await server.GetAsync($"/v2/apps{id}/tasks"))["tasks"]!.AsArray();
        return [.. tasks.Where(t => (string?)t!["state"] == "TASK_RUNNING")
            .OrderBy(t => (string?)t!["startedAt"] ?? "", StringComparer.Ordinal)
            .Select(t => ((string)t!["id"]!, t["ports"]!.AsArray().Count > 0 ? (int)t["ports"]![0]! : 0))];
    }

    /// <summary>Waits until no deployment runs and <paramref name="instances"/> tasks are running and healthy.</summary>
    public async Task WaitSettledAsync(int instances, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var deployments = (await server.GetAsync("/v2/deployments")).AsArray().Count;
            var app = (await server.GetAsync($"/v2/apps{id}"))["app"]!;
            if (deployments == 0 && (int)app["tasksRunning"]! == instances && (int)app["tasksHealthy"]! == instances)
            {
                return;
            }
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"{id}: {deployments} deployments, {app["tasksRunning"]} running, {app["tasksHealthy"]} healthy of {instances} after {timeout.TotalSeconds:0} s");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>The marathon task id's instance part (<c>app.instance-uuid._app.N</c> → <c>app.instance-uuid</c>).</summary>
    public static string InstanceOf(string taskId)
    {
        var cut = taskId.LastIndexOf("._app.", StringComparison.Ordinal);
        return cut < 0 ? taskId : taskId[..cut];
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
}
