using System.Text.Json.Nodes;
using Harrier.LoadBalancer.Marathon;

namespace Harrier.LoadBalancer.Tests.Rendering;

/// <summary>Reads a golden case's services.json (marathon-lb's service model before <c>config()</c>) into <see cref="LbService"/>s.</summary>
internal static class ServicesJson
{
    public static List<LbService> Read(string json) =>
        [.. JsonNode.Parse(json)!["services"]!.AsArray().Select(n => Service(n!.AsObject()))];

    private static LbService Service(JsonObject s)
    {
        var service = new LbService(s["appId"]!.GetValue<string>(), s["servicePort"]!.GetValue<int>(), HealthCheck(s["healthCheck"]), strictMode: false)
        {
            Hostname = Str(s, "hostname"),
            Path = Str(s, "path"),
            ProxyPath = Str(s, "proxypath"),
            RevProxyPath = Str(s, "revproxypath"),
            RedirPath = Str(s, "redirpath"),
            HaproxyGroups = Strings(s["haproxy_groups"]),
            Groups = Strings(s["groups"]),
            AuthRealm = Str(s, "authRealm"),
            AuthUser = Str(s, "authUser"),
            AuthPasswd = Str(s, "authPasswd"),
            Sticky = s["sticky"]!.GetValue<bool>(),
            Enabled = s["enabled"]!.GetValue<bool>(),
            RedirectHttpToHttps = s["redirectHttpToHttps"]!.GetValue<bool>(),
            UseHsts = s["useHsts"]!.GetValue<bool>(),
            SslCert = Str(s, "sslCert"),
            BindOptions = Str(s, "bindOptions"),
            BindAddr = Str(s, "bindAddr") ?? "*",
            Mode = Str(s, "mode"),
            Balance = Str(s, "balance") ?? "roundrobin",
            BackendWeight = s["backend_weight"]!.GetValue<int>(),
            NetworkAllowed = Str(s, "network_allowed"),
            HealthcheckPortIndex = s["healthcheck_port_index"]?.GetValue<int>(),
        };
        foreach (var (key, value) in s["labels"]!.AsObject())
        {
            service.TemplateOverrides[key.Replace("HAPROXY_{0}_", "", StringComparison.Ordinal)] = value!.GetValue<string>();
        }
        foreach (var b in s["backends"]!.AsArray())
        {
            service.Backends.Add(new LbBackend(b!["host"]!.GetValue<string>(), b["ip"]!.GetValue<string>(), b["port"]!.GetValue<int>(), b["draining"]!.GetValue<bool>()));
        }
        return service;
    }

    private static MarathonHealthCheck? HealthCheck(JsonNode? node) => node is not JsonObject h ? null : new MarathonHealthCheck(
        h["protocol"]!.GetValue<string>(),
        h["path"]?.GetValue<string>(),
        h["port"]?.GetValue<int>(),
        h["portIndex"]?.GetValue<int>(),
        h["timeoutSeconds"]!.GetValue<long>(),
        h["intervalSeconds"]!.GetValue<long>(),
        h["gracePeriodSeconds"]!.GetValue<long>(),
        h["maxConsecutiveFailures"]!.GetValue<long>());

    private static string? Str(JsonObject s, string name) => s[name]?.GetValue<string>();

    private static string[] Strings(JsonNode? node) => node is JsonArray a ? [.. a.Select(x => x!.GetValue<string>())] : [];
}
