using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Harrier.Testing;

namespace Harrier.E2E.Tests.Health;

/// <summary>Reads an app's tasks from the API and talks to the test-app tasks directly on their host ports.</summary>
public static class AppTasks
{
    private static readonly HttpClient Direct = new() { Timeout = TimeSpan.FromSeconds(2) };

    public static async Task<JsonArray> ListAsync(HarrierDev dev, string appId) =>
        (await dev.GetJsonAsync($"/v2/apps{appId}/tasks"))["tasks"]!.AsArray();

    public static async Task<JsonNode> AppAsync(HarrierDev dev, string appId) =>
        (await dev.GetJsonAsync($"/v2/apps{appId}"))["app"]!;

    public static async Task<JsonArray> DeploymentsAsync(HarrierDev dev) => (await dev.GetJsonAsync("/v2/deployments")).AsArray();

    public static async Task<bool> HasDeploymentAsync(HarrierDev dev, string appId) =>
        (await DeploymentsAsync(dev)).Any(d => d!["affectedApps"]!.AsArray().Any(a => a!.GetValue<string>() == appId));

    public static string Id(JsonNode task) => task["id"]!.GetValue<string>();

    public static int Port(JsonNode task) => task["ports"]!.AsArray()[0]!.GetValue<int>();

    /// <summary>True when the task has health results and every one of them is alive.</summary>
    public static bool IsAlive(JsonNode task) =>
        task["healthCheckResults"] is JsonArray results && results.Count > 0 && results.All(r => r!["alive"]!.GetValue<bool>());

    /// <summary>
    /// Waits until the app has exactly <paramref name="count"/> RUNNING tasks that the API reports alive,
    /// <c>tasksHealthy</c> equals <paramref name="count"/>, and no deployment touches it.
    /// </summary>
    public static async Task<JsonArray> WaitHealthyAsync(HarrierDev dev, string appId, int count, TimeSpan? timeout = null)
    {
        JsonArray? last = null;
        JsonNode? lastApp = null;
        try
        {
            return await Eventually.WaitAsync(async () =>
            {
                var tasks = await ListAsync(dev, appId);
                last = tasks;
                var app = await AppAsync(dev, appId);
                lastApp = app;
                var healthy = tasks.Count == count
                    && tasks.All(t => t!["state"]!.GetValue<string>() == "TASK_RUNNING" && IsAlive(t))
                    && app["tasksHealthy"]?.GetValue<int>() == count
                    && !await HasDeploymentAsync(dev, appId);
                return healthy ? tasks : null;
            }, timeout ?? TimeSpan.FromSeconds(45), $"{count} healthy tasks of {appId}", TimeSpan.FromMilliseconds(100));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(
                $"{e.Message}; last tasks: {last?.ToJsonString()}; tasksHealthy={lastApp?["tasksHealthy"]}, tasksUnhealthy={lastApp?["tasksUnhealthy"]}", e);
        }
    }

    /// <summary>The first RUNNING task of the app, whether or not its deployment has finished.</summary>
    public static Task<JsonNode> WaitRunningTaskAsync(HarrierDev dev, string appId, TimeSpan timeout) =>
        Eventually.WaitAsync(async () => (await ListAsync(dev, appId)).FirstOrDefault(t => t!["state"]!.GetValue<string>() == "TASK_RUNNING"),
            timeout, $"a running task of {appId}", TimeSpan.FromMilliseconds(50));

    /// <summary>POSTs to the test app in a task (e.g. <c>/health/fail</c>).</summary>
    public static async Task PostAsync(JsonNode task, string path)
    {
        using var response = await Direct.PostAsync($"http://127.0.0.1:{Port(task)}{path}", new StringContent("", Encoding.UTF8));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>What the test app on <paramref name="port"/> answers at <c>/version</c>, or null when it does not answer.</summary>
    public static async Task<string?> VersionAsync(int port)
    {
        try
        {
            using var response = await Direct.GetAsync($"http://127.0.0.1:{port}/version");
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>True when the test app on <paramref name="port"/> answers <c>/health</c> with 200 within a short timeout.</summary>
    public static async Task<bool> HealthyAsync(HttpClient client, int port)
    {
        try
        {
            using var response = await client.GetAsync($"http://127.0.0.1:{port}/health");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits until every task of the app answers <paramref name="version"/> and the app has no deployment.</summary>
    public static async Task<JsonArray> WaitAllVersionAsync(HarrierDev dev, string appId, int count, string version, TimeSpan timeout)
    {
        var versions = "";
        try
        {
            return await Eventually.WaitAsync(async () =>
            {
                if (await HasDeploymentAsync(dev, appId))
                {
                    versions = "(deployment still listed)";
                    return null;
                }
                var tasks = await ListAsync(dev, appId);
                var answers = new List<string?>();
                foreach (var task in tasks)
                {
                    answers.Add(await VersionAsync(Port(task!)));
                }
                versions = string.Join(",", answers.Select(a => a ?? "-"));
                return tasks.Count == count && answers.All(a => a == version) ? tasks : null;
            }, timeout, $"all {count} tasks of {appId} to answer {version}", TimeSpan.FromMilliseconds(200));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last versions: {versions}", e);
        }
    }
}
