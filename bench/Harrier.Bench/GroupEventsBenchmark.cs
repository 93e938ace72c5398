using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Harrier.Bench;

/// <summary>
/// Heavy deployment-plan events at size, on <c>harrier dev --driver fake</c>: a group of A apps (no instances) is
/// deployed, S unfiltered <c>/v2/events</c> subscribers attach (<c>plan-format=full</c>, the default: every deployment
/// event carries two whole root groups), then R one-app updates each make a deployment. Prints the wall time until
/// every subscriber has every <c>deployment_success</c>, the server's CPU time over the rounds, and the bytes each
/// subscriber read.
/// </summary>
internal static class GroupEventsBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var apps = args.Int("apps", 1000);
        var subscribers = args.Int("subscribers", 8);
        var rounds = args.Int("requests", 20);
        Console.WriteLine($"{Stats.LoadAverage()} at start");
        await using var server = await DevServer.StartAsync("--driver", "fake");
        var group = new JsonObject
        {
            ["id"] = "/base",
            ["apps"] = new JsonArray([.. Enumerable.Range(0, apps).Select(a => (JsonNode)new JsonObject { ["id"] = $"app{a}", ["cmd"] = "sleep 3600", ["cpus"] = 0.01, ["mem"] = 8, ["instances"] = 0 })]),
        };
        (await server.Http.PostAsync("/v2/groups", new StringContent(group.ToJsonString(), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        await WaitIdleAsync(server);

        using var stop = new CancellationTokenSource();
        var counts = new int[subscribers];
        var bytes = new long[subscribers];
        var readers = Enumerable.Range(0, subscribers).Select(i => Task.Run(() => SubscribeAsync(server, i, counts, bytes, stop.Token))).ToList();
        await WaitAsync(() => readers.All(r => !r.IsFaulted) && Volatile.Read(ref counts[0]) >= 0, "subscribers");
        await Task.Delay(500);

        var cpu = server.CpuTime();
        var sw = Stopwatch.StartNew();
        for (var r = 0; r < rounds; r++)
        {
            var body = $$$"""{"env":{"ROUND":"{{{r}}}"}}""";
            (await server.Http.PutAsync($"/v2/apps/base/app{r % apps}", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
            await WaitIdleAsync(server);
        }
        await WaitAsync(() => counts.All(c => Volatile.Read(ref c) >= rounds), "every subscriber's deployment_success events");
        var wall = sw.Elapsed;
        var used = server.CpuTime() - cpu;
        await stop.CancelAsync();
        Console.WriteLine($"{subscribers} subscribers, {apps} apps, {rounds} deployments: all events delivered in {wall.TotalMilliseconds:0} ms, server CPU {used.TotalMilliseconds:0} ms ({used.TotalMilliseconds / rounds:0.0} ms per deployment), {bytes.Average() / 1024 / 1024:0.0} MiB per subscriber; server RSS {server.RssKiB() / 1024} MiB; {Stats.LoadAverage()}");
        return 0;
    }

    private static async Task SubscribeAsync(DevServer server, int index, int[] counts, long[] bytes, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        try
        {
            using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                Interlocked.Add(ref bytes[index], line.Length + 2);
                if (line == "event: deployment_success")
                {
                    Interlocked.Increment(ref counts[index]);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task WaitIdleAsync(DevServer server)
    {
        await WaitAsync(async () => (await server.GetAsync("/v2/deployments")).AsArray().Count == 0, "the deployment");
    }

    private static Task WaitAsync(Func<bool> condition, string what) => WaitAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var wait = Stopwatch.StartNew();
        while (!await condition())
        {
            if (wait.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException(what);
            }
            await Task.Delay(20);
        }
    }
}
