using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Harrier.Dns.Records;

namespace Harrier.Dns.Tests.Records;

/// <summary>
/// Test adapter: a Mesos master <c>state.json</c> → <see cref="DiscoveryState"/>, reading what Mesos-DNS's
/// <c>records/state</c> reads (pids for agent and scheduler addresses, the latest TASK_RUNNING status for task
/// addresses). Host names that are not addresses resolve through <paramref name="resolve"/> (the fixtures' only one
/// is <c>localhost</c>).
/// </summary>
internal static class MesosStateReader
{
    public static DiscoveryState Read(JsonNode state, string? leader, IReadOnlyList<string> masters, Func<string, IReadOnlyList<IPAddress>>? resolve = null)
    {
        resolve ??= Resolve;
        var agents = state["slaves"]!.AsArray().Select(s =>
        {
            var (host, port) = Pid(s!["pid"]?.GetValue<string>());
            return new DiscoveryAgent(s["id"]!.GetValue<string>(), host ?? "", host is null ? [] : resolve(host), port ?? 0);
        }).ToList();
        var frameworks = state["frameworks"]!.AsArray().Select(f =>
        {
            var (host, port) = Pid(f!["pid"]?.GetValue<string>());
            host ??= f["hostname"]?.GetValue<string>() ?? "";
            var tasks = (f["tasks"]?.AsArray() ?? []).Select(t => Task(t!)).ToList();
            return new DiscoveryFramework(f["name"]!.GetValue<string>(), host.Length == 0 ? [] : resolve(host), port, tasks);
        }).ToList();
        var leaderAddress = leader ?? state["leader"]?.GetValue<string>();
        return new DiscoveryState(leaderAddress?[(leaderAddress.IndexOf('@') + 1)..], masters, agents, frameworks);
    }

    private static DiscoveryTask Task(JsonNode t)
    {
        var running = LatestRunning(t["statuses"]?.AsArray());
        var netinfo = new List<IPAddress>();
        foreach (var info in running?["container_status"]?["network_infos"]?.AsArray() ?? [])
        {
            var addresses = info!["ip_addresses"]?.AsArray();
            if (addresses is { Count: > 0 })
            {
                netinfo.AddRange(addresses.Select(a => Ip(a!["ip_address"]?.GetValue<string>())).OfType<IPAddress>());
            }
            else if (Ip(info["ip_address"]?.GetValue<string>()) is { } single)
            {
                netinfo.Add(single);
            }
        }
        DiscoveryInfo? discovery = null;
        if (t["discovery"] is JsonObject d && d["name"]?.GetValue<string>() is { Length: > 0 } name)
        {
            var ports = (d["ports"]?["ports"]?.AsArray() ?? []).Select(p => new DiscoveryPort(
                p!["number"]!.GetValue<int>(), p["name"]?.GetValue<string>(), p["protocol"]?.GetValue<string>(), LabelList(p["labels"]?["labels"]))).ToList();
            discovery = new DiscoveryInfo(name, ports);
        }
        return new DiscoveryTask(
            t["id"]!.GetValue<string>(),
            t["name"]!.GetValue<string>(),
            t["slave_id"]!.GetValue<string>(),
            t["state"]!.GetValue<string>(),
            netinfo,
            Ports(t["resources"]?["ports"]?.GetValue<string>()),
            discovery)
        {
            MesosIps = StatusLabelIps(running, "MesosContainerizer.NetworkSettings.IPAddress"),
            DockerIps = StatusLabelIps(running, "Docker.NetworkSettings.IPAddress"),
        };
    }

    /// <summary>The TASK_RUNNING status with the highest timestamp (Mesos gives no order guarantee).</summary>
    private static JsonNode? LatestRunning(JsonArray? statuses) =>
        statuses?.Where(s => s!["state"]?.GetValue<string>() == DiscoveryTask.Running)
            .MaxBy(s => s!["timestamp"]!.GetValue<double>());

    private static List<IPAddress> StatusLabelIps(JsonNode? status, string key) =>
        [.. LabelList(status?["labels"]).Where(l => l.Key == key).Select(l => Ip(l.Value)).OfType<IPAddress>()];

    private static List<KeyValuePair<string, string>> LabelList(JsonNode? labels) =>
        [.. (labels?.AsArray() ?? []).Select(l => KeyValuePair.Create(l!["key"]!.GetValue<string>(), l["value"]?.GetValue<string>() ?? ""))];

    /// <summary><c>[31000-31001, 31005-31005]</c> → every port.</summary>
    private static List<int> Ports(string? ranges)
    {
        var ports = new List<int>();
        if (string.IsNullOrEmpty(ranges) || ranges == "[]")
        {
            return ports;
        }
        foreach (var range in ranges.Trim('[', ']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = range.Split('-');
            for (var p = int.Parse(bounds[0], CultureInfo.InvariantCulture); p <= int.Parse(bounds[1], CultureInfo.InvariantCulture); p++)
            {
                ports.Add(p);
            }
        }
        return ports;
    }

    /// <summary><c>slave(1)@10.0.1.21:5051</c> → (host, port).</summary>
    private static (string? Host, int? Port) Pid(string? pid)
    {
        if (pid is null || pid.IndexOf('@') is var at && at < 0)
        {
            return (null, null);
        }
        var address = pid[(at + 1)..];
        var colon = address.LastIndexOf(':');
        var host = address[..colon].Trim('[', ']');
        return (host, int.Parse(address[(colon + 1)..], CultureInfo.InvariantCulture));
    }

    private static IPAddress? Ip(string? text) => IPAddress.TryParse(text, out var ip) ? ip : null;

    private static IReadOnlyList<IPAddress> Resolve(string host) =>
        IPAddress.TryParse(host, out var ip) ? [ip] : host == "localhost" ? [IPAddress.Loopback] : [];
}
