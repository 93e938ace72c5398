using System.Net;
using System.Text.Json.Nodes;
using Harrier.Dns.Records;

namespace Harrier.Dns.Tests.Records;

/// <summary>
/// Test adapter: a Mesos operator-API stream (dcos-net's test inputs: a SUBSCRIBED or GET_STATE body, then one event
/// per line — TASK_ADDED, TASK_UPDATED, FRAMEWORK_*, AGENT_*) → <see cref="DiscoveryState"/> after the last event,
/// reading what <c>dcos_net_mesos_listener</c> reads: the task's state from the event, its addresses from its latest
/// status, its port mappings from the Docker or Mesos container info or that status.
/// </summary>
internal static class OperatorApiReader
{
    public static DiscoveryState Read(string text)
    {
        var agents = new Dictionary<string, DiscoveryAgent>(StringComparer.Ordinal);
        var frameworks = new Dictionary<string, string>(StringComparer.Ordinal);
        var tasks = new Dictionary<string, (JsonNode Task, string State, List<JsonNode> Statuses)>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var message = JsonNode.Parse(line)!;
            var state = message["subscribed"]?["get_state"] ?? message["get_state"];
            if (state is not null)
            {
                foreach (var agent in state["get_agents"]?["agents"]?.AsArray() ?? [])
                {
                    AddAgent(agents, agent!);
                }
                foreach (var framework in state["get_frameworks"]?["frameworks"]?.AsArray() ?? [])
                {
                    AddFramework(frameworks, framework!);
                }
                var list = state["get_tasks"]?["tasks"]?.AsArray() ?? state["get_tasks"]?["launched_tasks"]?.AsArray() ?? [];
                foreach (var task in list)
                {
                    AddTask(tasks, task!);
                }
                continue;
            }
            switch (message["type"]?.GetValue<string>())
            {
                case "TASK_ADDED":
                    AddTask(tasks, message["task_added"]!["task"]!);
                    break;
                case "TASK_UPDATED":
                    var update = message["task_updated"]!;
                    var key = Key(update["framework_id"]!, update["status"]!["task_id"]!);
                    if (tasks.TryGetValue(key, out var known))
                    {
                        known.Statuses.Add(update["status"]!);
                        tasks[key] = (known.Task, update["state"]!.GetValue<string>(), known.Statuses);
                    }
                    break;
                case "FRAMEWORK_ADDED" or "FRAMEWORK_UPDATED":
                    AddFramework(frameworks, (message["framework_added"] ?? message["framework_updated"])!["framework"]!);
                    break;
                case "FRAMEWORK_REMOVED":
                    frameworks.Remove(message["framework_removed"]!["framework_info"]!["id"]!["value"]!.GetValue<string>());
                    break;
                case "AGENT_ADDED":
                    AddAgent(agents, message["agent_added"]!["agent"]!);
                    break;
                case "AGENT_REMOVED":
                    agents.Remove(message["agent_removed"]!["agent_id"]!["value"]!.GetValue<string>());
                    break;
                default:
                    break;
            }
        }
        var byFramework = tasks.Values
            .Select(t => (FrameworkId: t.Task["framework_id"]!["value"]!.GetValue<string>(), Task: Task(t.Task, t.State, t.Statuses)))
            .ToLookup(t => t.FrameworkId, t => t.Task);
        var discoveryFrameworks = frameworks.Select(f => new DiscoveryFramework(f.Value, [], null, [.. byFramework[f.Key]])).ToList();
        return new DiscoveryState(null, [], [.. agents.Values], discoveryFrameworks);
    }

    private static string Key(JsonNode frameworkId, JsonNode taskId) =>
        frameworkId["value"]!.GetValue<string>() + "/" + taskId["value"]!.GetValue<string>();

    private static void AddTask(Dictionary<string, (JsonNode, string, List<JsonNode>)> tasks, JsonNode task) =>
        tasks[Key(task["framework_id"]!, task["task_id"]!)] =
            (task, task["state"]!.GetValue<string>(), [.. (task["statuses"]?.AsArray() ?? []).Select(s => s!)]);

    private static void AddFramework(Dictionary<string, string> frameworks, JsonNode framework)
    {
        var info = framework["framework_info"]!;
        frameworks[info["id"]!["value"]!.GetValue<string>()] = info["name"]!.GetValue<string>();
    }

    private static void AddAgent(Dictionary<string, DiscoveryAgent> agents, JsonNode agent)
    {
        var info = agent["agent_info"]!;
        var hostname = info["hostname"]!.GetValue<string>();
        var id = info["id"]!["value"]!.GetValue<string>();
        agents[id] = new DiscoveryAgent(id, hostname, IPAddress.TryParse(hostname, out var ip) ? [ip] : [], info["port"]?.GetValue<int>() ?? 5051);
    }

    private static DiscoveryTask Task(JsonNode task, string state, List<JsonNode> statuses)
    {
        var latest = statuses.MaxBy(s => s["timestamp"]!.GetValue<double>());
        var statusInfos = latest?["container_status"]?["network_infos"]?.AsArray() ?? [];
        var ips = statusInfos.SelectMany(n => n!["ip_addresses"]?.AsArray() ?? [])
            .Select(a => IPAddress.TryParse(a!["ip_address"]?.GetValue<string>(), out var ip) ? ip : null).OfType<IPAddress>().ToList();
        var mappings = (task["container"]?["docker"]?["port_mappings"]?.AsArray() ?? [])
            .Concat((task["container"]?["network_infos"]?.AsArray() ?? []).SelectMany(n => n!["port_mappings"]?.AsArray() ?? []))
            .Concat(statusInfos.SelectMany(n => n!["port_mappings"]?.AsArray() ?? []))
            .Select(m => new TaskPortMapping(m!["container_port"]!.GetValue<int>(), m["host_port"]?.GetValue<int>(), m["protocol"]?.GetValue<string>() ?? "tcp"))
            .Distinct().ToList();
        DiscoveryInfo? discovery = null;
        if (task["discovery"] is JsonObject d && d["name"]?.GetValue<string>() is { Length: > 0 } name)
        {
            discovery = new DiscoveryInfo(name, [.. (d["ports"]?["ports"]?.AsArray() ?? []).Select(p => new DiscoveryPort(
                p!["number"]!.GetValue<int>(), p["name"]?.GetValue<string>(), p["protocol"]?.GetValue<string>(), Labels(p["labels"]?["labels"])))]);
        }
        var ports = (task["resources"]?.AsArray() ?? [])
            .Where(r => r!["name"]?.GetValue<string>() == "ports")
            .SelectMany(r => r!["ranges"]?["range"]?.AsArray() ?? [])
            .SelectMany(r => Enumerable.Range(r!["begin"]!.GetValue<int>(), r["end"]!.GetValue<int>() - r["begin"]!.GetValue<int>() + 1))
            .ToList();
        return new DiscoveryTask(
            task["task_id"]!["value"]!.GetValue<string>(),
            task["name"]?.GetValue<string>() ?? "",
            task["agent_id"]!["value"]!.GetValue<string>(),
            state,
            ips,
            ports,
            discovery,
            latest?["healthy"]?.GetValue<bool>())
        {
            PortMappings = mappings,
            Labels = Labels(task["labels"]?["labels"]),
        };
    }

    private static List<KeyValuePair<string, string>> Labels(JsonNode? labels) =>
        [.. (labels?.AsArray() ?? []).Select(l => KeyValuePair.Create(l!["key"]!.GetValue<string>(), l["value"]?.GetValue<string>() ?? ""))];
}
