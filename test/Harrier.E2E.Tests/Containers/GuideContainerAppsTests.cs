using System.Net;
using System.Text.Json.Nodes;
using Harrier.Testing;
using Harrier.Testing.Images;
using Xunit;

namespace Harrier.E2E.Tests.Containers;

/// <summary>
/// The guides' Docker apps with host networking (<c>../shared/guide-apps</c>: httpi, inky, python), posted byte for
/// byte to a real <c>harrier dev</c> whose agent pulls from a local registry through <c>--registry-mirror</c> and
/// runs them with crun.
/// </summary>
public sealed class GuideContainerAppsTests(RegistryFixture images) : IClassFixture<RegistryFixture>
{
    private static string GuideApp(string file)
    {
        var folder = SharedData.Folder("guide-apps", out var skip);
        if (folder is null)
        {
            Assert.Skip(skip!);
        }
        return File.ReadAllText(Path.Combine(folder, file));
    }

    [Fact]
    public async Task HttpiHost_Unchanged_PullsRunsAndAnswersOnPortHttp()
    {
        images.Require();
        var definition = GuideApp("httpi-host.json");
        await using var dev = await HarrierDev.StartAsync(images.MirrorArgs);

        var (status, _, _) = await dev.SendAsync(HttpMethod.Post, "/v2/apps", definition);

        Assert.Equal(HttpStatusCode.Created, status);
        var task = (await dev.WaitForRunningAsync("/httpi", 1, TimeSpan.FromSeconds(90)))[0]!;
        var port = task["ports"]![0]!.GetValue<int>();
        Assert.Equal(GuideImages.HttpiBody, (await GetAsync($"http://127.0.0.1:{port}/")).Trim());
        // It ran in its own root filesystem: the sandbox is mounted where Mesos mounts it, and PORT_HTTP is set.
        var env = await ExecLogAsync(dev, task);
        Assert.Contains("MESOS_SANDBOX=/mnt/mesos/sandbox", env, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InkyAndPython_Unchanged_RunTheirEntrypointAndCommand()
    {
        images.Require();
        var inky = GuideApp("inky-host-args.json");
        var python = GuideApp("python-docker.json");
        await using var dev = await HarrierDev.StartAsync(images.MirrorArgs);

        Assert.Equal(HttpStatusCode.Created, (await dev.SendAsync(HttpMethod.Post, "/v2/apps", python)).Status);
        Assert.Equal(HttpStatusCode.Created, (await dev.SendAsync(HttpMethod.Post, "/v2/apps", inky)).Status);

        var task = (await dev.WaitForRunningAsync("/python", 1, TimeSpan.FromSeconds(90)))[0]!;
        try
        {
            Assert.Contains("Directory listing for /", await GetAsync($"http://127.0.0.1:{task["ports"]![0]}/"), StringComparison.Ordinal);
        }
        catch (TimeoutException e)
        {
            var id = task["id"]!.GetValue<string>();
            throw new TimeoutException(e.Message + "; stdout: " + await dev.Http.GetStringAsync($"/v2/apps/python/tasks/{id}/logs?stream=stdout")
                + "; stderr: " + await dev.Http.GetStringAsync($"/v2/apps/python/tasks/{id}/logs?stream=stderr") + "; server: " + dev.Output, e);
        }
        // inky's ENTRYPOINT is /bin/echo and the app's args replace its CMD: it prints "hello" and exits (and is
        // relaunched, as Marathon does for a task that ends).
        await Eventually.TrueAsync(async () =>
        {
            var tasks = (await dev.GetJsonAsync("/v2/apps/inky/tasks"))["tasks"]!.AsArray();
            foreach (var t in tasks)
            {
                var log = await dev.Http.GetStringAsync($"/v2/apps/inky/tasks/{t!["id"]}/logs?stream=stdout");
                if (log.Contains("hello", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            return false;
        }, TimeSpan.FromSeconds(60), "inky to echo its args");
    }

    private static async Task<string> ExecLogAsync(HarrierDev dev, JsonNode task)
    {
        var app = task["appId"]!.GetValue<string>();
        var id = task["id"]!.GetValue<string>();
        // The image's CMD does not print its environment; read it from the container's init instead.
        var pid = dev.TaskProcesses().First(p => p.TaskId == id).Pid;
        await Task.CompletedTask;
        return (await File.ReadAllTextAsync($"/proc/{pid}/environ")).Replace('\0', '\n') + app;
    }

    internal static async Task<string> GetAsync(string url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await Eventually.WaitAsync(async () =>
        {
            try
            {
                var r = await client.GetAsync(url);
                return r.StatusCode == HttpStatusCode.OK ? await r.Content.ReadAsStringAsync() : null;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(30), "an answer from " + url);
    }
}
