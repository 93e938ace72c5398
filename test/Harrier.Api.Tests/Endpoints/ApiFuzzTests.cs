using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Harrier.Testing;
using Xunit;

namespace Harrier.Api.Tests.Endpoints;

/// <summary>
/// A bounded, seeded fuzz pass over the whole API in-process (real orchestrator and agent on the fake driver):
/// random methods, paths, queries and headers, and bodies mutated from Marathon's example definitions. No answer may
/// be a 5xx and the server must keep answering. The seed is printed (and in every failure); rerun one with
/// <c>HARRIER_FUZZ_SEED=N</c>. Left out: an agent's command stream and log follows, which stay open by design. (An encoded NUL in the path is left out: the test host refuses it before the server; Kestrel answers 400.)
/// </summary>
public sealed class ApiFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "BREW"];

    private static readonly string[] Paths =
    [
        "/v2/apps", "/v2/apps/{id}", "/v2/apps/{id}/tasks", "/v2/apps/{id}/restart", "/v2/apps/{id}/versions",
        "/v2/apps/{id}/versions/{x}", "/v2/apps/{id}/tasks/{x}", "/v2/apps/{id}/tasks/{x}/logs", "/v2/apps/{id}/*",
        "/v2/tasks", "/v2/tasks/delete", "/v2/deployments", "/v2/deployments/{x}", "/v2/queue", "/v2/queue/{id}/delay",
        "/v2/groups", "/v2/groups/{id}", "/v2/info", "/v2/leader", "/v2/orphans", "/v2/agents", "/v2/agents/{x}",
        "/v2/agents/{x}/drain", "/v2/agents/{x}/undrain", "/v2/agents/{x}/images", "/agent/{x}/monitor/statistics",
        "/agent/{x}/metrics", "/metrics", "/ping", "/", "/harrier/v1/agents/register", "/harrier/v1/agents/status",
        "/harrier/v1/agents/statuses", "/harrier/v1/agents/health", "/harrier/v1/agents/{x}/heartbeat",
        "/harrier/v1/agents/queries/{x}", "/{x}",
    ];

    private static readonly string[] QueryKeys = ["embed", "force", "scale", "wipe", "dryRun", "partialUpdate", "label", "id", "cmd", "tail", "follow", "stream", "image", "event_type"];

    private static readonly string[] ContentTypes = ["application/json", "application/json; charset=utf-8", "application/vnd.x+json", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16", ""];

    [Fact]
    public async Task RandomRequests_NeverAnswer5xx_AndTheServerKeepsServing()
    {
        var seed = Environment.GetEnvironmentVariable("HARRIER_FUZZ_SEED") is { Length: > 0 } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Environment.TickCount;
        TestContext.Current.TestOutputHelper?.WriteLine($"ApiFuzzTests seed {seed} (HARRIER_FUZZ_SEED={seed} reruns it)");
        var random = new Random(seed);
        var seeds = SeedBodies();
        await using var host = await ApiHost.StartAsync(server: o => o.MaxInstancesPerApp = 20);
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        var count = 0;
        var statuses = new SortedDictionary<int, int>();
        while (clock.Elapsed < Budget && count < 20_000 && failures.Count < 5)
        {
            count++;
            using var request = RandomRequest(random, seeds, out var described);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var started = clock.Elapsed;
            try
            {
                using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{(int)response.StatusCode} for {described}: {await response.Content.ReadAsStringAsync(timeout.Token)}");
                }
            }
            catch (OperationCanceledException)
            {
                failures.Add($"no answer within 10 s for {described}");
            }
            if (clock.Elapsed - started > TimeSpan.FromSeconds(1))
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"slow ({(clock.Elapsed - started).TotalSeconds:F1} s): {described}");
            }
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"{count} requests: " + string.Join(", ", statuses.Select(p => $"{p.Key}×{p.Value}")));
        Assert.True(failures.Count == 0, $"seed {seed}, {count} requests:\n" + string.Join("\n", failures));
        Assert.Equal("pong", (await host.Client.GetStringAsync("/ping", TestContext.Current.CancellationToken)).Trim());
    }

    private static HttpRequestMessage RandomRequest(Random random, IReadOnlyList<string> seeds, out string described)
    {
        var method = Methods[random.Next(Methods.Length)];
        // Two in five go to the app endpoints, where most of the reading and validating is.
        var path = Paths[random.Next(5) < 2 ? random.Next(4) : random.Next(Paths.Length)]
            .Replace("{id}", RandomId(random), StringComparison.Ordinal)
            .Replace("{x}", RandomSegment(random), StringComparison.Ordinal);
        var query = new StringBuilder();
        for (var i = random.Next(4); i > 0; i--)
        {
            var key = QueryKeys[random.Next(QueryKeys.Length)];
            if (key is "follow")
            {
                continue; // A follow is answered and then kept open: not a one-shot request.
            }
            query.Append(query.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(RandomSegment(random)));
        }
        var request = new HttpRequestMessage(new HttpMethod(method), path + query);
        if (random.Next(4) == 0)
        {
            request.Headers.TryAddWithoutValidation("Accept", random.Next(2) == 0 ? "application/json" : "*/*");
        }
        string? body = null;
        if (method is "POST" or "PUT" or "PATCH" || random.Next(10) == 0)
        {
            body = Mutate(random, seeds[random.Next(seeds.Count)]);
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            var type = ContentTypes[random.Next(ContentTypes.Length)];
            if (type.Length > 0)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            }
        }
        described = $"{method} {path}{query} {(body is null ? "" : body.Length > 300 ? body[..300] + "…" : body)}";
        return request;
    }

    private static string RandomId(Random random) => random.Next(10) switch
    {
        0 => "/" + new string('a', random.Next(150, 260)),
        1 => "/fuzz/app",
        2 => "/%2e%2e/x",
        3 => "/" + RandomSegment(random) + "/" + RandomSegment(random),
        4 => "//",
        _ => "/fuzz",
    };

    private static string RandomSegment(Random random)
    {
        string[] pool = ["x", "0", "-1", "true", "99999999999999999999", "..", ".", "%ff", "é", "a b", "1e9", "null", "2026-13-45T99:00:00Z", "app.instance-x._app.1"];
        return random.Next(3) == 0 ? Uri.EscapeDataString(new string([.. Enumerable.Range(0, random.Next(1, 12)).Select(_ => (char)random.Next(32, 127))])) : pool[random.Next(pool.Length)];
    }

    /// <summary>One of several mutations of a JSON text: a node replaced, removed or duplicated, or the text cut or garbled.</summary>
    private static string Mutate(Random random, string json)
    {
        switch (random.Next(6))
        {
            case 0:
                return json[..random.Next(json.Length + 1)];
            case 1:
                var bytes = json.ToCharArray();
                for (var i = random.Next(1, 5); i > 0 && bytes.Length > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] = (char)random.Next(32, 127);
                }
                return new string(bytes);
            default:
                var node = JsonNode.Parse(json);
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    node = MutateNode(random, node);
                }
                return node?.ToJsonString() ?? "null";
        }
    }

    private static JsonNode? MutateNode(Random random, JsonNode? node)
    {
        if (node is JsonObject obj && obj.Count > 0 && random.Next(4) != 0)
        {
            var key = obj.ElementAt(random.Next(obj.Count)).Key;
            switch (random.Next(4))
            {
                case 0:
                    obj.Remove(key);
                    break;
                case 1:
                    obj[key] = RandomValue(random);
                    break;
                default:
                    var child = obj[key];
                    obj.Remove(key);
                    obj[key] = MutateNode(random, child);
                    break;
            }
            return obj;
        }
        if (node is JsonArray array && array.Count > 0 && random.Next(4) != 0)
        {
            var i = random.Next(array.Count);
            var child = array[i];
            array.RemoveAt(i);
            array.Insert(i, MutateNode(random, child));
            if (random.Next(5) == 0)
            {
                array.Add(array[0]?.DeepClone());
            }
            return array;
        }
        return RandomValue(random);
    }

    private static JsonNode? RandomValue(Random random) => random.Next(10) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.Next(-5, 100)),
        3 => JsonValue.Create(random.NextDouble() * 1e12),
        4 => JsonValue.Create(long.MaxValue),
        5 => JsonValue.Create(new string('z', random.Next(0, 2000))),
        6 => new JsonArray(JsonValue.Create("x"), JsonValue.Create(1)),
        7 => new JsonObject { ["k"] = "v" },
        8 => JsonValue.Create("/" + new string('a', 250)),
        _ => JsonValue.Create(-1e308),
    };

    /// <summary>Marathon's example definitions (shared/marathon-examples), plus a few of Harrier's own so the pass runs without them.</summary>
    private static List<string> SeedBodies()
    {
        var bodies = new List<string>
        {
            """{"id":"/fuzz","cmd":"sleep 1","instances":1,"cpus":0.01,"mem":8}""",
            """[{"id":"/fuzz","instances":2},{"id":"/fuzz/app","cmd":"x"}]""",
            """{"agent":{"id":"a","hostname":"h","resources":{"cpus":1,"mem":1,"disk":0}},"protocolVersion":4,"tasks":[]}""",
            """[{"updateId":"5f0c7a4e-2d8b-4d61-9c1e-0a9b8c7d6e5f","agentId":"a","taskId":"fuzz.instance-x._app.1","state":"TASK_RUNNING","timestamp":"2026-11-22T08:30:00.123Z"}]""",
            """{"ids":["fuzz.instance-0b6c2a9e-7e1f-4c55-9a57-1f0f3a2d4e5b._app.1"]}""",
            """{"image":"busybox","forcePull":true}""",
        };
        var root = Path.Combine(SharedData.Root, "marathon-examples");
        if (Directory.Exists(root))
        {
            foreach (var file in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var text = File.ReadAllText(file);
                try
                {
                    JsonNode.Parse(text);
                    bodies.Add(text);
                }
                catch (System.Text.Json.JsonException)
                {
                    // Not plain JSON (an annotated example): skipped.
                }
            }
        }
        return bodies;
    }
}
