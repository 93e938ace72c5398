using System.Text.Json.Nodes;
using Harrier.LoadBalancer.Zdd;

namespace Harrier.LoadBalancer.Tests.Zdd;

/// <summary>
/// Builders for the runner tests: the user's app JSON in a temp file, apps already deployed by zdd, and a run of
/// <see cref="ZddCommand"/> against a <see cref="FakeZddCluster"/> in fake time (host names resolve to themselves).
/// </summary>
internal sealed class ZddScenario : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("harrier-zdd-").FullName;

    public FakeZddCluster Cluster { get; } = new();

    public string AppPath { get; }

    public ZddScenario(int instances = 3)
    {
        AppPath = Path.Combine(_dir, "web.json");
        File.WriteAllText(AppPath, UserApp(instances).ToJsonString());
    }

    public static JsonObject UserApp(int instances) => new()
    {
        ["id"] = "web",
        ["cmd"] = "sleep 1000",
        ["instances"] = instances,
        ["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = 10000 }),
        ["labels"] = new JsonObject
        {
            ["HAPROXY_DEPLOYMENT_GROUP"] = "web",
            ["HAPROXY_DEPLOYMENT_ALT_PORT"] = "10001",
            ["HAPROXY_GROUP"] = "external",
        },
    };

    /// <summary>An app as zdd left it: <c>/web-&lt;colour&gt;</c> on <paramref name="port"/>.</summary>
    public static JsonObject Deployed(string colour, int port, int instances, string startedAt, string newInstances = "0", int target = 3) => new()
    {
        ["id"] = "/web-" + colour,
        ["cmd"] = "sleep 1000",
        ["instances"] = instances,
        ["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = port }),
        ["labels"] = new JsonObject
        {
            ["HAPROXY_DEPLOYMENT_GROUP"] = "web",
            ["HAPROXY_DEPLOYMENT_ALT_PORT"] = "10001",
            ["HAPROXY_GROUP"] = "external",
            ["HAPROXY_DEPLOYMENT_COLOUR"] = colour,
            ["HAPROXY_DEPLOYMENT_STARTED_AT"] = startedAt,
            ["HAPROXY_DEPLOYMENT_TARGET_INSTANCES"] = target.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["HAPROXY_DEPLOYMENT_NEW_INSTANCES"] = newInstances,
            ["HAPROXY_0_PORT"] = "10000",
            ["HAPROXY_APP_ID"] = "web",
        },
    };

    /// <summary>A file in the scenario's temp folder (removed with it).</summary>
    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>zdd with <c>--server</c>, two balancers, a short step and the given flags; stdin is empty.</summary>
    public async Task<(int Exit, string Out, string Err)> RunAsync(string[] flags, Dictionary<string, string>? env = null, string stdin = "")
    {
        string[] args = [AppPath, "--server", FakeZddCluster.Server, "-l", FakeZddCluster.Balancer(1), "-l", FakeZddCluster.Balancer(2), "--step-delay", "1", .. flags];
        return await RunRawAsync(args, env, stdin);
    }

    public async Task<(int Exit, string Out, string Err)> RunRawAsync(string[] args, Dictionary<string, string>? env = null, string stdin = "")
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exit = await ZddCommand.RunAsync(args, stdout, stderr, new StringReader(stdin), name => env?.GetValueOrDefault(name), Cluster,
            new SteppingTimeProvider(), host => host, timeout.Token);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
