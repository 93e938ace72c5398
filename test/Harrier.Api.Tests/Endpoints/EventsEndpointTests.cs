using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Harrier.Testing;
using Xunit;

namespace Harrier.Api.Tests.Endpoints;

public sealed class EventsEndpointTests
{
    /// <summary>Reads an SSE stream into (id, event, data) records until disposed.</summary>
    private sealed class SseReader : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public SseReader(HttpClient client, string path, long? lastEventId = null)
        {
            _loop = Task.Run(async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                if (lastEventId is { } id)
                {
                    request.Headers.Add("Last-Event-ID", id.ToString());
                }
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
                long current = 0;
                string? type = null;
                while (!_stop.IsCancellationRequested && await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.StartsWith("id: ", StringComparison.Ordinal))
                    {
                        current = long.Parse(line[4..]);
                    }
                    else if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        type = line[7..];
                    }
                    else if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        Events.Enqueue((current, type!, JsonNode.Parse(line[6..])!));
                    }
                }
            });
        }

        public ConcurrentQueue<(long Id, string Type, JsonNode Data)> Events { get; } = new();

        public IReadOnlyList<string> Types => [.. Events.Select(e => e.Type)];

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
            _stop.Dispose();
        }
    }

    [Fact]
    public async Task AppLife_CreateScaleDelete_EmitsMarathonEventsWithTheirFields()
    {
        await using var api = await ApiHost.StartAsync();
        await using var sse = new SseReader(api.Client, "/v2/events");
        await Eventually.TrueAsync(() => sse.Types.Contains("event_stream_attached"), TimeSpan.FromSeconds(5), "attach event");

        await api.SendAsync("POST", "/v2/apps", """{"id":"/life","cmd":"sleep 1000","instances":1,"cpus":0.1,"mem":8}""");
        await api.WaitForRunningAsync("/life", 1);
        await api.SendAsync("PUT", "/v2/apps/life", """{"instances":2}""");
        await api.WaitForRunningAsync("/life", 2);
        await api.SendAsync("DELETE", "/v2/apps/life");
        await Eventually.TrueAsync(() => sse.Types.Contains("app_terminated_event"), TimeSpan.FromSeconds(10), "the app_terminated_event");

        var types = sse.Types;
        // Marathon does not order events of different kinds (§14.2), but one deployment's lifecycle is ordered.
        Assert.Contains("api_post_event", types);
        var all = sse.Events.ToList();
        int First(string type, Func<JsonNode, bool>? where = null) =>
            all.FindIndex(e => e.Type == type && (where is null || where(e.Data)));
        var running = First("status_update_event", d => d["taskStatus"]!.GetValue<string>() == "TASK_RUNNING");
        Assert.True(First("event_stream_attached") < First("group_change_success"), string.Join(",", types));
        Assert.True(First("group_change_success") < First("deployment_info"), string.Join(",", types));
        Assert.True(First("deployment_info") < running, string.Join(",", types));
        Assert.True(running < First("deployment_success"), string.Join(",", types));
        Assert.True(First("deployment_success") < First("app_terminated_event"), string.Join(",", types));

        var post = sse.Events.First(e => e.Type == "api_post_event").Data;
        Assert.Equal("/life", post["appDefinition"]!["id"]!.GetValue<string>());
        Assert.Equal("/v2/apps", post["uri"]!.GetValue<string>());
        var runningEvent = all[running].Data;
        Assert.Equal("/life", runningEvent["appId"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", runningEvent["host"]!.GetValue<string>());
        Assert.Single(runningEvent["ports"]!.AsArray());
        Assert.NotNull(runningEvent["version"]);
        var changed = sse.Events.First(e => e.Type == "instance_changed_event" && e.Data["condition"]!.GetValue<string>() == "Running").Data;
        Assert.Equal("/life", changed["runSpecId"]!.GetValue<string>());
        var info = sse.Events.First(e => e.Type == "deployment_info").Data;
        Assert.Equal("StartApplication", info["currentStep"]!["actions"]![0]!["action"]!.GetValue<string>());
        Assert.Equal(2, info["plan"]!["steps"]!.AsArray().Count);
        Assert.Contains(sse.Events, e => e.Type == "status_update_event" && e.Data["taskStatus"]!.GetValue<string>() == "TASK_KILLED");
        Assert.Equal(sse.Events.Count, sse.Events.Select(e => e.Id).Count());
        Assert.True(sse.Events.Select(e => e.Id).SequenceEqual(sse.Events.Select(e => e.Id).Order()));
    }

    [Fact]
    public async Task EventTypeFilter_OnlyThoseTypes_AndLastEventIdResumes()
    {
        await using var api = await ApiHost.StartAsync();
        long lastSeen;
        await using (var filtered = new SseReader(api.Client, "/v2/events?event_type=deployment_success&event_type=api_post_event"))
        {
            await Eventually.TrueAsync(async () => (await api.GetAsync("/v2/info")) is not null && filtered.Events.IsEmpty, TimeSpan.FromSeconds(1), "connected");
            await Task.Delay(200);
            await api.SendAsync("POST", "/v2/apps", """{"id":"/f","cmd":"sleep 1000","instances":1,"cpus":0.1,"mem":8}""");
            await Eventually.TrueAsync(() => filtered.Types.Contains("deployment_success"), TimeSpan.FromSeconds(10), "deployment_success");
            Assert.All(filtered.Types, t => Assert.Contains(t, new[] { "deployment_success", "api_post_event" }));
            lastSeen = filtered.Events.First(e => e.Type == "api_post_event").Id;
        }
        await using var resumed = new SseReader(api.Client, "/v2/events?event_type=deployment_success", lastSeen);
        await Eventually.TrueAsync(() => resumed.Types.Contains("deployment_success"), TimeSpan.FromSeconds(5), "the missed deployment_success replayed");
    }

    [Fact]
    public async Task WithoutEventStreamAccept_Is405LikeMarathon()
    {
        await using var api = await ApiHost.StartAsync();
        var (status, body, _) = await api.SendAsync("GET", "/v2/events");
        Assert.Equal(405, status);
        Assert.NotNull(body!["message"]);
    }
}
