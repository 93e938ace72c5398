using System.Text.Json;
using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>
/// Reads an app body into <see cref="AppRaml"/> with the RAML rules of <c>app.raml</c> (defaults, minimum/maximum,
/// patterns, required fields). Failures are collected in the <see cref="RamlReader"/>.
/// </summary>
internal static class AppRamlReader
{
    private static readonly string[] KillSelections = ["YOUNGEST_FIRST", "OLDEST_FIRST"];

    public static AppRaml Read(JsonElement o, RamlReader r, bool idRequired)
    {
        const string P = "/";
        var invalidLimits = new List<(string, string)>();
        var app = new AppRaml
        {
            Id = r.String(o, "id", P, required: idRequired, minLength: 1, pattern: RamlPatterns.PathId()),
            Cmd = r.String(o, "cmd", P, minLength: 1),
            Args = r.StringArray(o, "args", P) ?? [],
            User = r.String(o, "user", P),
            Instances = r.Int(o, "instances", P, min: 0) ?? 1,
            Cpus = r.Double(o, "cpus", P, min: 0.001) ?? 1.0,
            Mem = r.Double(o, "mem", P, min: 0) ?? 128.0,
            Disk = r.Double(o, "disk", P, min: 0) ?? 0.0,
            Gpus = r.Int(o, "gpus", P, min: 0) ?? 0,
            ResourceLimits = ReadResourceLimits(o, r, invalidLimits),
            InvalidResourceLimits = invalidLimits,
            Executor = r.String(o, "executor", P, pattern: RamlPatterns.Executor()) ?? "",
            ExecutorResources = ReadExecutorResources(o, r),
            Env = ReadEnv(o, r),
            Secrets = ReadSecrets(o, r),
            Labels = r.StringMap(o, "labels", P) ?? [],
            Constraints = ReadConstraints(o, r),
            AcceptedResourceRoles = r.StringArray(o, "acceptedResourceRoles", P),
            Role = r.String(o, "role", P, minLength: 1),
            Container = RamlReader.TryGet(o, "container", out var c) ? ContainerRamlReader.Read(c, "/container", r) : null,
            Networks = NetworkRamlReader.ReadNetworks(o, r),
            PortDefinitions = NetworkRamlReader.ReadPortDefinitions(o, r),
            Ports = NetworkRamlReader.ReadPorts(o, r),
            RequirePorts = r.Bool(o, "requirePorts", P) ?? false,
            Fetch = ReadFetch(o, r),
            Uris = r.StringArray(o, "uris", P, minLength: 1, maxLength: 1024),
            HealthChecks = CheckRamlReader.ReadHealthChecks(o, r),
            Check = CheckRamlReader.ReadCheck(o, r),
            ReadinessChecks = CheckRamlReader.ReadReadinessChecks(o, r),
            Dependencies = r.StringArray(o, "dependencies", P, minLength: 1, pattern: RamlPatterns.PathId()) ?? [],
            UpgradeStrategy = ReadUpgradeStrategy(o, r),
            BackoffSeconds = r.Int(o, "backoffSeconds", P, min: 0) ?? 1,
            BackoffFactor = r.Double(o, "backoffFactor", P, min: 1.0) ?? 1.15,
            MaxLaunchDelaySeconds = r.Int(o, "maxLaunchDelaySeconds", P, min: 0) ?? 300,
            KillSelection = r.Enum(o, "killSelection", P, KillSelections) == "OLDEST_FIRST" ? KillSelection.OldestFirst : KillSelection.YoungestFirst,
            UnreachableStrategy = ReadUnreachable(o, r),
            TaskKillGracePeriodSeconds = r.Int(o, "taskKillGracePeriodSeconds", P, min: 0),
            Tty = r.Bool(o, "tty", P),
            Residency = ReadResidency(o, r),
            IpAddress = NetworkRamlReader.ReadIpAddress(o, r),
        };
        return app;
    }

    private static ResourceLimitsSpec? ReadResourceLimits(JsonElement o, RamlReader r, List<(string, string)> invalid)
    {
        if (!RamlReader.TryGet(o, "resourceLimits", out var v) || !r.RequireObject(v, "/resourceLimits"))
        {
            return null;
        }
        return new ResourceLimitsSpec(Limit(v, "cpus", r, invalid), Limit(v, "mem", r, invalid));
    }

    private static double? Limit(JsonElement o, string name, RamlReader r, List<(string, string)> invalid)
    {
        if (!RamlReader.TryGet(o, name, out var v))
        {
            return null;
        }
        var p = "/resourceLimits/" + name;
        if (v.ValueKind == JsonValueKind.String)
        {
            var s = v.GetString() ?? "";
            if (string.Equals(s, "unlimited", StringComparison.OrdinalIgnoreCase))
            {
                return double.PositiveInfinity;
            }
            invalid.Add((name, s));
            return null;
        }
        return r.DoubleValue(v, p);
    }

    private static ExecutorResourcesSpec? ReadExecutorResources(JsonElement o, RamlReader r)
    {
        const string P = "/executorResources";
        if (!RamlReader.TryGet(o, "executorResources", out var v) || !r.RequireObject(v, P))
        {
            return null;
        }
        return new ExecutorResourcesSpec(
            r.Double(v, "cpus", P, min: 0.1) ?? 0.1,
            r.Double(v, "mem", P, min: 32) ?? 32,
            r.Double(v, "disk", P, min: 10) ?? 10);
    }

    private static Dictionary<string, EnvValue> ReadEnv(JsonElement o, RamlReader r)
    {
        var env = new Dictionary<string, EnvValue>(StringComparer.Ordinal);
        foreach (var (key, value, p) in r.Object(o, "env", "/") ?? [])
        {
            if (value.ValueKind == JsonValueKind.String)
            {
                env[key] = EnvValue.Of(value.GetString() ?? "");
            }
            else if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            else if (r.RequireObject(value, p) && r.String(value, "secret", p, required: true) is { } secret)
            {
                env[key] = new EnvValue(null, secret);
            }
        }
        return env;
    }

    private static Dictionary<string, string> ReadSecrets(JsonElement o, RamlReader r)
    {
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value, p) in r.Object(o, "secrets", "/") ?? [])
        {
            if (r.RequireObject(value, p) && r.String(value, "source", p, required: true, minLength: 1) is { } source)
            {
                secrets[key] = source;
            }
        }
        return secrets;
    }

    private static List<IReadOnlyList<string>> ReadConstraints(JsonElement o, RamlReader r)
    {
        var result = new List<IReadOnlyList<string>>();
        foreach (var (value, p) in r.Array(o, "constraints", "/") ?? [])
        {
            var items = r.ArrayValue(value, p);
            if (items is null)
            {
                continue;
            }
            var fields = new List<string>();
            foreach (var (item, ip) in items)
            {
                if (r.StringValue(item, ip) is { } s)
                {
                    fields.Add(s);
                }
            }
            result.Add(fields);
        }
        return result;
    }

    private static List<FetchUri> ReadFetch(JsonElement o, RamlReader r)
    {
        var result = new List<FetchUri>();
        foreach (var (v, p) in r.Array(o, "fetch", "/") ?? [])
        {
            if (!r.RequireObject(v, p))
            {
                continue;
            }
            var uri = r.String(v, "uri", p, required: true, minLength: 1, maxLength: 1024);
            var fetch = new FetchUri(
                uri ?? "",
                r.Bool(v, "extract", p) ?? true,
                r.Bool(v, "executable", p) ?? false,
                r.Bool(v, "cache", p) ?? false,
                r.String(v, "destPath", p, minLength: 1, maxLength: 1024));
            if (uri is not null)
            {
                result.Add(fetch);
            }
        }
        return result;
    }

    private static UpgradeStrategy? ReadUpgradeStrategy(JsonElement o, RamlReader r)
    {
        const string P = "/upgradeStrategy";
        if (!RamlReader.TryGet(o, "upgradeStrategy", out var v) || !r.RequireObject(v, P))
        {
            return null;
        }
        var min = r.Double(v, "minimumHealthCapacity", P, 0.0, 1.0, required: true);
        var max = r.Double(v, "maximumOverCapacity", P, 0.0, 1.0, required: true);
        return min is { } a && max is { } b ? new UpgradeStrategy(a, b) : null;
    }

    private static UnreachableStrategy? ReadUnreachable(JsonElement o, RamlReader r)
    {
        const string P = "/unreachableStrategy";
        if (!RamlReader.TryGet(o, "unreachableStrategy", out var v))
        {
            return null;
        }
        if (v.ValueKind == JsonValueKind.String && string.Equals(v.GetString(), "disabled", StringComparison.OrdinalIgnoreCase))
        {
            return UnreachableStrategy.DisabledStrategy;
        }
        // The union's last alternative is the object form, so its error is the one reported.
        if (!r.RequireObject(v, P))
        {
            return null;
        }
        var inactive = r.Long(v, "inactiveAfterSeconds", P, min: 0) ?? 0;
        var expunge = r.Long(v, "expungeAfterSeconds", P, min: 0) ?? 0;
        return new UnreachableStrategy(false, (int)Math.Min(inactive, int.MaxValue), (int)Math.Min(expunge, int.MaxValue));
    }

    private static ResidencySpec? ReadResidency(JsonElement o, RamlReader r)
    {
        const string P = "/residency";
        if (!RamlReader.TryGet(o, "residency", out var v) || !r.RequireObject(v, P))
        {
            return null;
        }
        return new ResidencySpec(
            r.Int(v, "relaunchEscalationTimeoutSeconds", P) ?? 3600,
            r.Enum(v, "taskLostBehavior", P, ["WAIT_FOREVER", "RELAUNCH_AFTER_TIMEOUT"]) ?? "WAIT_FOREVER");
    }

}
