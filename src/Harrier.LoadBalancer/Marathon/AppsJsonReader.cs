using System.Text.Json;

namespace Harrier.LoadBalancer.Marathon;

/// <summary>
/// Reads a <c>GET /v2/apps?embed=apps.tasks</c> body into <see cref="MarathonApp"/>s. A body that is not
/// <c>{"apps": [...]}</c> is an <see cref="LbInputException"/>; an app with a field of the wrong type is dropped, a task
/// likewise, each with a warning. Nothing from the body is trusted: ids are checked here, label values where they are
/// used (<see cref="LabelApplier"/>).
/// </summary>
internal static class AppsJsonReader
{
    private const long DefaultTimeoutSeconds = 20;
    private const long DefaultIntervalSeconds = 60;
    private const long DefaultGracePeriodSeconds = 300;
    private const long DefaultMaxConsecutiveFailures = 3;

    public static JsonDocument Parse(string appsJson)
    {
        try
        {
            return JsonDocument.Parse(appsJson, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new LbInputException($"the apps body is not JSON: {e.Message}", e);
        }
    }

    public static List<MarathonApp> Read(JsonElement root, List<string> warnings)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("apps", out var apps) || apps.ValueKind != JsonValueKind.Array)
        {
            throw new LbInputException("the apps body is not {\"apps\": [...]} (a /v2/apps?embed=apps.tasks response)");
        }
        var result = new List<MarathonApp>();
        var index = 0;
        foreach (var app in apps.EnumerateArray())
        {
            try
            {
                result.Add(ReadApp(app, warnings));
            }
            catch (AppFormatException e)
            {
                warnings.Add($"app {Describe(app, index)} dropped: {e.Message}");
            }
            index++;
        }
        return result;
    }

    private static string Describe(JsonElement app, int index) =>
        app.ValueKind == JsonValueKind.Object && app.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? LabelValues.Quote(id.GetString()!)
            : $"#{index}";

    private static MarathonApp ReadApp(JsonElement app, List<string> warnings)
    {
        if (app.ValueKind != JsonValueKind.Object)
        {
            throw new AppFormatException("not an object");
        }
        var id = JsonFields.String(app, "id") ?? throw new AppFormatException("no 'id'");
        if (!LabelValues.IsAppId(id))
        {
            throw new AppFormatException("the id has characters other than letters, digits, '/', '.', '-' and '_'");
        }
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (JsonFields.Object(app, "labels") is { } labelObject)
        {
            foreach (var label in labelObject.EnumerateObject())
            {
                labels[label.Name] = label.Value.ValueKind == JsonValueKind.String
                    ? label.Value.GetString()!
                    : throw new AppFormatException($"label {LabelValues.Quote(label.Name)} is not a string");
            }
        }
        var instances = JsonFields.Integer(app, "instances") ?? 0;
        var container = JsonFields.Object(app, "container");
        var docker = container is { } c ? JsonFields.Object(c, "docker") : null;
        var mode = Mode(app, docker);
        var mappings = docker is { } d ? JsonFields.Array(d, "portMappings").ToList() : [];
        if (mappings.Count == 0 && container is { } c2)
        {
            mappings = [.. JsonFields.Array(c2, "portMappings")];
        }
        var servicePorts = new List<int?>();
        var containerPorts = new List<int>();
        foreach (var mapping in mappings)
        {
            if (mapping.ValueKind != JsonValueKind.Object)
            {
                throw new AppFormatException("a port mapping is not an object");
            }
            servicePorts.Add(JsonFields.Port(mapping, "servicePort"));
            if (JsonFields.Port(mapping, "containerPort") is { } cp)
            {
                containerPorts.Add(cp);
            }
        }
        List<int>? definitionPorts = null;
        if (app.TryGetProperty("portDefinitions", out _))
        {
            definitionPorts = [];
            foreach (var definition in JsonFields.Array(app, "portDefinitions"))
            {
                if (definition.ValueKind != JsonValueKind.Object)
                {
                    throw new AppFormatException("a port definition is not an object");
                }
                if (JsonFields.Port(definition, "port") is { } p)
                {
                    definitionPorts.Add(p);
                }
            }
        }
        var legacyPorts = JsonFields.Array(app, "ports").Select(p => JsonFields.PortValue(p, "a port of 'ports'")).ToList();
        var discoveryPorts = new List<int>();
        if (JsonFields.Object(app, "ipAddress") is { } ipAddress && JsonFields.Object(ipAddress, "discovery") is { } discovery)
        {
            foreach (var port in JsonFields.Array(discovery, "ports"))
            {
                if (JsonFields.Port(port, "number") is { } n)
                {
                    discoveryPorts.Add(n);
                }
            }
        }
        var healthChecks = JsonFields.Array(app, "healthChecks").Select(ReadHealthCheck).ToList();
        var tasks = new List<MarathonTask>();
        foreach (var task in JsonFields.Array(app, "tasks"))
        {
            try
            {
                tasks.Add(ReadTask(task, id));
            }
            catch (AppFormatException e)
            {
                warnings.Add($"a task of app {LabelValues.Quote(id)} dropped: {e.Message}");
            }
        }
        DateTimeOffset? lastScalingAt = null;
        if (JsonFields.Object(app, "versionInfo") is { } versionInfo
            && JsonFields.String(versionInfo, "lastScalingAt") is { } scaledAt
            && DateTimeOffset.TryParse(scaledAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
        {
            lastScalingAt = parsed;
        }
        return new MarathonApp(
            id, labels, (int)Math.Clamp(instances, 0, int.MaxValue), mode, servicePorts, containerPorts, definitionPorts, legacyPorts,
            discoveryPorts, healthChecks, tasks, lastScalingAt);
    }

    /// <summary>marathon-lb's <c>get_app_networking_mode</c>: <c>networks[].mode</c> (the last one) wins.</summary>
    private static NetworkingMode Mode(JsonElement app, JsonElement? docker)
    {
        var mode = NetworkingMode.Host;
        if (JsonFields.Get(app, "ipAddress") is { ValueKind: JsonValueKind.Object } ip && ip.EnumerateObject().Any())
        {
            mode = NetworkingMode.Container;
        }
        var network = docker is { } d ? JsonFields.String(d, "network") : null;
        if (network == "USER")
        {
            mode = NetworkingMode.Container;
        }
        else if (network == "BRIDGE")
        {
            mode = NetworkingMode.Bridge;
        }
        foreach (var n in JsonFields.Array(app, "networks"))
        {
            if (n.ValueKind != JsonValueKind.Object)
            {
                throw new AppFormatException("a network is not an object");
            }
            mode = (JsonFields.String(n, "mode") ?? "container") switch
            {
                "container" => NetworkingMode.Container,
                "container/bridge" => NetworkingMode.Bridge,
                "host" => NetworkingMode.Host,
                var other => throw new AppFormatException($"unknown network mode {LabelValues.Quote(other)}"),
            };
        }
        return mode;
    }

    private static MarathonHealthCheck ReadHealthCheck(JsonElement check)
    {
        if (check.ValueKind != JsonValueKind.Object)
        {
            throw new AppFormatException("a health check is not an object");
        }
        var path = JsonFields.String(check, "path");
        if (path is not null && !LabelValues.IsToken(path))
        {
            throw new AppFormatException("a health check path has whitespace or control characters");
        }
        var portIndex = JsonFields.Integer(check, "portIndex");
        return new MarathonHealthCheck(
            JsonFields.String(check, "protocol") ?? "HTTP",
            path,
            JsonFields.Port(check, "port"),
            portIndex is null ? null : (int)Math.Clamp(portIndex.Value, -1, int.MaxValue),
            NonNegative(check, "timeoutSeconds", DefaultTimeoutSeconds),
            NonNegative(check, "intervalSeconds", DefaultIntervalSeconds),
            NonNegative(check, "gracePeriodSeconds", DefaultGracePeriodSeconds),
            NonNegative(check, "maxConsecutiveFailures", DefaultMaxConsecutiveFailures));
    }

    private static long NonNegative(JsonElement obj, string name, long fallback) => JsonFields.Integer(obj, name) switch
    {
        null => fallback,
        >= 0 and < int.MaxValue and var n => n,
        var n => throw new AppFormatException($"health check '{name}' {n} is out of range"),
    };

    private static MarathonTask ReadTask(JsonElement task, string appId)
    {
        if (task.ValueKind != JsonValueKind.Object)
        {
            throw new AppFormatException("not an object");
        }
        var id = JsonFields.String(task, "id") ?? throw new AppFormatException("no 'id'");
        var host = JsonFields.String(task, "host") ?? "";
        var ports = JsonFields.Array(task, "ports").Select(p => JsonFields.PortValue(p, "task port")).ToList();
        var state = JsonFields.String(task, "state");
        List<bool>? results = null;
        if (JsonFields.Get(task, "healthCheckResults") is not null)
        {
            results = [.. JsonFields.Array(task, "healthCheckResults").Select(r =>
                r.ValueKind == JsonValueKind.Object && r.TryGetProperty("alive", out var alive) && alive.ValueKind == JsonValueKind.True)];
        }
        string? ip = null;
        var first = JsonFields.Array(task, "ipAddresses").FirstOrDefault();
        if (first.ValueKind == JsonValueKind.Object)
        {
            ip = JsonFields.String(first, "ipAddress");
        }
        return new MarathonTask(id, host, ports, state, results, ip, appId);
    }
}
