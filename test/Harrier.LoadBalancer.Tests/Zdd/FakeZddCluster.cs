using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Harrier.LoadBalancer.Tests.Zdd;

/// <summary>
/// An in-process Marathon (<c>http://marathon.test</c>) and balancers (<c>http://lbN.test:9090</c>) for zdd: apps with
/// tasks on 127.0.0.1 that start healthy, a deployment that lasts one read after every create or scale, service port
/// conflicts refused as Marathon does, a scale (PUT) that clears <c>resourceLimits</c> and <c>executorResources</c>
/// when it leaves them out (Marathon's partial update), and balancer stats rendered with marathon-lb's blue/green rule (spec §1.9:
/// both colours in one backend <c>&lt;group&gt;_&lt;HAPROXY_0_PORT&gt;</c>, N old tasks <c>MAINT</c>). It records
/// every call and flags any kill of a task some balancer did not show drained in its last stats.
/// </summary>
internal sealed class FakeZddCluster : HttpMessageHandler
{
    public const string Server = "http://marathon.test";

    private readonly Lock _gate = new();
    private readonly List<FakeApp> _apps = [];
    private readonly Dictionary<int, HashSet<string>> _lastDrained = [];
    private int _nextPort = 31000;
    private int _nextTask;
    private int _stamp;

    public static string Balancer(int index) => $"http://lb{index}.test:9090";

    public List<string> Requests { get; } = [];
    public List<JsonObject> Created { get; } = [];
    public List<(string Id, int Instances)> Scales { get; } = [];
    public List<IReadOnlyList<string>> Kills { get; } = [];
    public List<string> Deletes { get; } = [];
    public List<string> KillViolations { get; } = [];
    public List<string?> Authorizations { get; } = [];

    /// <summary>Balancers whose connection is refused.</summary>
    public HashSet<int> Unreachable { get; } = [];

    /// <summary>Balancers answering this instead of CSV stats.</summary>
    public Dictionary<int, string> BadStats { get; } = [];

    /// <summary>Balancers that never disable an old task (blue/green unaware).</summary>
    public bool NeverDrain { get; set; }

    /// <summary>Only this balancer shows the <see cref="Busy"/> sessions (null: every balancer).</summary>
    public int? BusyOnlyOn { get; set; }

    /// <summary>Server port → how many more stats answers show it with an open session.</summary>
    public Dictionary<int, int> Busy { get; } = [];

    public IReadOnlyList<string> AppIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _apps.Select(a => a.Id)];
            }
        }
    }

    /// <summary>Adds a running app (tasks created now) with the given lastScalingAt order stamp.</summary>
    public void AddApp(JsonObject definition, int? stamp = null)
    {
        lock (_gate)
        {
            _stamp = Math.Max(_stamp, stamp ?? _stamp + 1);
            var app = new FakeApp((JsonObject)definition.DeepClone()) { LastScaling = stamp ?? _stamp };
            app.Instances = definition["instances"]!.GetValue<int>();
            Resize(app);
            _apps.Add(app);
        }
    }

    public FakeApp App(string id)
    {
        lock (_gate)
        {
            return _apps.Single(a => a.Id == id);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var uri = request.RequestUri!;
        lock (_gate)
        {
            Requests.Add($"{request.Method} {uri.GetLeftPart(UriPartial.Authority)}{uri.PathAndQuery}");
            if (uri.Host == "marathon.test")
            {
                Authorizations.Add(request.Headers.Authorization?.ToString());
                return Marathon(request.Method, uri, body);
            }
            var index = int.Parse(uri.Host["lb".Length..uri.Host.IndexOf('.', StringComparison.Ordinal)]);
            if (Unreachable.Contains(index))
            {
                throw new HttpRequestException($"Connection refused ({uri.Host}:{uri.Port})");
            }
            return uri.AbsolutePath == "/_haproxy_getpids" ? Text("4711 4712\n")
                : uri.PathAndQuery == "/haproxy?stats;csv" ? Text(BadStats.TryGetValue(index, out var bad) ? bad : Stats(index))
                : new HttpResponseMessage(HttpStatusCode.NotFound);
        }
    }

    private HttpResponseMessage Marathon(HttpMethod method, Uri uri, string? body)
    {
        var path = uri.AbsolutePath;
        if (method == HttpMethod.Get && path == "/v2/apps")
        {
            return Json(new JsonObject { ["apps"] = new JsonArray([.. _apps.Select(a => (JsonNode)a.ToJson(withTasks: false))]) });
        }
        if (method == HttpMethod.Post && path == "/v2/apps")
        {
            return Create(JsonNode.Parse(body!)!.AsObject());
        }
        if (method == HttpMethod.Post && uri.PathAndQuery == "/v2/tasks/delete?scale=true")
        {
            return Kill([.. JsonNode.Parse(body!)!["ids"]!.AsArray().Select(i => i!.GetValue<string>())]);
        }
        var id = path["/v2/apps".Length..];
        var app = _apps.SingleOrDefault(a => a.Id == id);
        if (app is null)
        {
            return Json(new JsonObject { ["message"] = $"App '{id}' does not exist" }, HttpStatusCode.NotFound);
        }
        if (method == HttpMethod.Get)
        {
            var json = new JsonObject { ["app"] = app.ToJson(withTasks: true) };
            app.DeployingReads = Math.Max(0, app.DeployingReads - 1);
            return Json(json);
        }
        if (method == HttpMethod.Put)
        {
            var update = JsonNode.Parse(body!)!.AsObject();
            app.Instances = update["instances"]!.GetValue<int>();
            // Marathon's partial update takes these two from the update as they are: left out, they are cleared.
            foreach (var key in new[] { "resourceLimits", "executorResources" })
            {
                app.Definition[key] = update[key]?.DeepClone();
            }
            Scales.Add((id, app.Instances));
            app.LastScaling = ++_stamp;
            app.DeployingReads = 1;
            Resize(app);
            return Json(new JsonObject { ["deploymentId"] = "scale", ["version"] = "v" });
        }
        if (method == HttpMethod.Delete)
        {
            _apps.Remove(app);
            Deletes.Add(id);
            return Json(new JsonObject { ["deploymentId"] = "delete", ["version"] = "v" });
        }
        return new HttpResponseMessage(HttpStatusCode.MethodNotAllowed);
    }

    private HttpResponseMessage Create(JsonObject definition)
    {
        var app = new FakeApp(definition) { LastScaling = ++_stamp, DeployingReads = 1 };
        if (_apps.Any(a => a.Id == app.Id))
        {
            return Json(new JsonObject { ["message"] = "An app with id [" + app.Id + "] already exists." }, HttpStatusCode.Conflict);
        }
        if (_apps.FirstOrDefault(a => a.ServicePort == app.ServicePort) is { } clash)
        {
            return Json(new JsonObject { ["message"] = $"Requested service port {app.ServicePort} conflicts with a service port of {clash.Id}" }, HttpStatusCode.UnprocessableEntity);
        }
        Created.Add((JsonObject)definition.DeepClone());
        app.Instances = definition["instances"]?.GetValue<int>() ?? 1;
        Resize(app);
        _apps.Add(app);
        return Json(new JsonObject { ["id"] = app.Id }, HttpStatusCode.Created);
    }

    private HttpResponseMessage Kill(IReadOnlyList<string> ids)
    {
        Kills.Add(ids);
        foreach (var taskId in ids)
        {
            var app = _apps.Single(a => a.Tasks.Any(t => t.Id == taskId));
            var task = app.Tasks.Single(t => t.Id == taskId);
            foreach (var (balancer, drained) in _lastDrained)
            {
                if (!drained.Contains(FakeBalancerStats.ServerName(task)))
                {
                    KillViolations.Add($"{taskId} killed while lb{balancer} did not show it drained");
                }
            }
            app.Tasks.Remove(task);
            app.Instances--;
            app.LastScaling = ++_stamp;
            app.DeployingReads = 1;
        }
        return Json(new JsonObject { ["deploymentId"] = "kill", ["version"] = "v" });
    }

    private string Stats(int balancer)
    {
        var (csv, drained) = FakeBalancerStats.Render(_apps, BusyOnlyOn is null || BusyOnlyOn == balancer ? Busy : [], NeverDrain);
        foreach (var port in Busy.Keys.ToList())
        {
            Busy[port]--;
            if (Busy[port] <= 0)
            {
                Busy.Remove(port);
            }
        }
        _lastDrained[balancer] = drained;
        return csv;
    }

    private void Resize(FakeApp app)
    {
        while (app.Tasks.Count < app.Instances)
        {
            app.Tasks.Add(new FakeTask($"{app.Id.TrimStart('/').Replace('/', '_')}.{++_nextTask:D4}", _nextPort++));
        }
        while (app.Tasks.Count > app.Instances)
        {
            app.Tasks.RemoveAt(app.Tasks.Count - 1);
        }
    }

    private static HttpResponseMessage Text(string text) => new(HttpStatusCode.OK) { Content = new StringContent(text, Encoding.UTF8, "text/plain") };

    private static HttpResponseMessage Json(JsonNode json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json") };
}
