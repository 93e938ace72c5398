using System.Text.Json.Nodes;

namespace Harrier.E2E.Tests.Health;

/// <summary>
/// App definitions that run <c>harrier-testapp</c> (built next to these tests through the project reference) as a real
/// task, with <c>exec</c> so each task is exactly one process.
/// </summary>
public static class TestAppDefinition
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "harrier-testapp.dll");

    /// <summary>The dotnet host by absolute path: tasks get the server's PATH, which need not have it.</summary>
    public static string DotnetHost { get; } = FindDotnet();

    public static string Cmd(string version, params string[] flags) =>
        $"exec {DotnetHost} {Dll} --version-string {version}" + string.Concat(flags.Select(f => " " + f));

    /// <summary>An app of <paramref name="instances"/> test-app tasks; the caller adds health checks, strategy and labels.</summary>
    public static JsonObject App(string id, int instances, string version, params string[] flags) => new()
    {
        ["id"] = id,
        ["cmd"] = Cmd(version, flags),
        ["cpus"] = 0.05,
        ["mem"] = 128,
        // Placement counts the small cpus; the task itself is not throttled to them (a .NET start at 5 % of a core
        // takes seconds and makes every /health answer late).
        ["resourceLimits"] = new JsonObject { ["cpus"] = "unlimited" },
        ["instances"] = instances,
        ["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = 0, ["name"] = "http" }),
    };

    /// <summary>
    /// A partial-update body (PUT) with <paramref name="fields"/>. Marathon's PUT takes <c>resourceLimits</c> from the
    /// update as it is, so leaving it out would clear it, restart the tasks and throttle them; it is sent again.
    /// </summary>
    public static string Update(JsonObject fields)
    {
        fields["resourceLimits"] = new JsonObject { ["cpus"] = "unlimited" };
        return fields.ToJsonString();
    }

    public static JsonObject HttpCheck(int intervalSeconds = 1, int graceSeconds = 5, int maxFailures = 2, string path = "/health") => new()
    {
        ["protocol"] = "HTTP",
        ["path"] = path,
        ["portIndex"] = 0,
        ["intervalSeconds"] = intervalSeconds,
        ["timeoutSeconds"] = 1,
        ["gracePeriodSeconds"] = graceSeconds,
        ["maxConsecutiveFailures"] = maxFailures,
    };

    public static JsonObject Strategy(double minimumHealthCapacity, double maximumOverCapacity) => new()
    {
        ["minimumHealthCapacity"] = minimumHealthCapacity,
        ["maximumOverCapacity"] = maximumOverCapacity,
    };

    /// <summary>The instance id part of a Marathon task id (<c>app.instance-uuid._app.N</c>).</summary>
    public static string InstanceOf(string taskId)
    {
        var cut = taskId.LastIndexOf("._app.", StringComparison.Ordinal);
        return cut < 0 ? taskId : taskId[..cut];
    }

    private static string FindDotnet()
    {
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, "dotnet")))
        {
            return Path.Combine(root, "dotnet");
        }
        if (Environment.ProcessPath is { } self && Path.GetFileName(self) == "dotnet")
        {
            return self;
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "dotnet");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return "dotnet";
    }
}
