using System.Text.Json;
using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>Reads <c>healthChecks</c>, <c>check</c> and <c>readinessChecks</c> (<c>healthCheck.raml</c>, <c>check.raml</c>, <c>readinessCheck.raml</c>).</summary>
internal static class CheckRamlReader
{
    private static readonly string[] HealthProtocols = ["HTTP", "HTTPS", "TCP", "COMMAND", "MESOS_TCP", "MESOS_HTTP", "MESOS_HTTPS"];
    private static readonly string[] HttpSchemes = ["HTTP", "HTTPS"];

    public static List<HealthCheckSpec> ReadHealthChecks(JsonElement o, RamlReader r)
    {
        var result = new List<HealthCheckSpec>();
        foreach (var (v, p) in r.Array(o, "healthChecks", "/") ?? [])
        {
            if (!r.RequireObject(v, p))
            {
                continue;
            }
            string? command = null;
            if (RamlReader.TryGet(v, "command", out var c) && r.RequireObject(c, p + "/command"))
            {
                command = r.String(c, "value", p + "/command", required: true);
            }
            var protocol = r.Enum(v, "protocol", p, HealthProtocols) switch
            {
                "HTTPS" => HealthCheckProtocol.Https,
                "TCP" => HealthCheckProtocol.Tcp,
                "COMMAND" => HealthCheckProtocol.Command,
                "MESOS_TCP" => HealthCheckProtocol.MesosTcp,
                "MESOS_HTTP" => HealthCheckProtocol.MesosHttp,
                "MESOS_HTTPS" => HealthCheckProtocol.MesosHttps,
                _ => HealthCheckProtocol.Http,
            };
            result.Add(new HealthCheckSpec
            {
                Protocol = protocol,
                Command = command,
                Path = r.String(v, "path", p),
                Port = r.Int(v, "port", p, 0, 65535),
                PortIndex = r.Int(v, "portIndex", p, 0, 65535),
                GracePeriodSeconds = r.Int(v, "gracePeriodSeconds", p, min: 0) ?? 300,
                IntervalSeconds = r.Int(v, "intervalSeconds", p, min: 0) ?? 60,
                TimeoutSeconds = r.Int(v, "timeoutSeconds", p) ?? 20,
                MaxConsecutiveFailures = r.Int(v, "maxConsecutiveFailures", p, min: 0) ?? 3,
                DelaySeconds = r.Int(v, "delaySeconds", p, min: 0) ?? 15,
                IgnoreHttp1xx = r.Bool(v, "ignoreHttp1xx", p) ?? false,
                IpProtocol = r.Enum(v, "ipProtocol", p, ["IPv4", "IPv6"]) ?? "IPv4",
            });
        }
        return result;
    }

    public static CheckSpec? ReadCheck(JsonElement o, RamlReader r)
    {
        const string P = "/check";
        if (!RamlReader.TryGet(o, "check", out var v) || !r.RequireObject(v, P))
        {
            return null;
        }
        CheckHttp? http = null;
        if (RamlReader.TryGet(v, "http", out var h) && r.RequireObject(h, P + "/http"))
        {
            const string HP = P + "/http";
            http = new CheckHttp(
                r.Int(h, "portIndex", HP, 0, 65535),
                r.Int(h, "port", HP, 0, 65535),
                r.String(h, "path", HP, minLength: 1, maxLength: 1024),
                r.Enum(h, "scheme", HP, HttpSchemes) ?? "HTTP");
        }
        CheckTcp? tcp = null;
        if (RamlReader.TryGet(v, "tcp", out var t) && r.RequireObject(t, P + "/tcp"))
        {
            tcp = new CheckTcp(r.Int(t, "portIndex", P + "/tcp", 0, 65535), r.Int(t, "port", P + "/tcp", 0, 65535));
        }
        string? exec = null;
        if (RamlReader.TryGet(v, "exec", out var e) && r.RequireObject(e, P + "/exec"))
        {
            exec = ReadExecCommand(e, P + "/exec", r);
        }
        return new CheckSpec
        {
            Http = http,
            Tcp = tcp,
            ExecCommand = exec,
            IntervalSeconds = r.Int(v, "intervalSeconds", P, min: 0) ?? 60,
            TimeoutSeconds = r.Int(v, "timeoutSeconds", P, min: 0) ?? 20,
            DelaySeconds = r.Int(v, "delaySeconds", P, min: 0) ?? 15,
        };
    }

    /// <summary><c>exec.command</c> is <c>{shell}</c> or <c>{argv}</c>; the model keeps the shell text only.</summary>
    private static string? ExecCommand(JsonElement c, string p, RamlReader r)
    {
        if (!r.RequireObject(c, p))
        {
            return null;
        }
        if (RamlReader.Has(c, "argv"))
        {
            var argv = r.StringArray(c, "argv", p);
            return argv is null ? null : string.Join(' ', argv);
        }
        return r.String(c, "shell", p, required: true);
    }

    private static string? ReadExecCommand(JsonElement e, string p, RamlReader r)
    {
        if (!RamlReader.TryGet(e, "command", out var c))
        {
            r.Fail(p + "/command", "error.path.missing");
            return null;
        }
        return ExecCommand(c, p + "/command", r);
    }

    public static List<ReadinessCheckSpec> ReadReadinessChecks(JsonElement o, RamlReader r)
    {
        var result = new List<ReadinessCheckSpec>();
        foreach (var (v, p) in r.Array(o, "readinessChecks", "/") ?? [])
        {
            if (!r.RequireObject(v, p))
            {
                continue;
            }
            List<int>? codes = null;
            var items = r.Array(v, "httpStatusCodesForReady", p);
            if (items is not null)
            {
                codes = [];
                foreach (var (cv, cp) in items)
                {
                    if (r.IntegerValue(cv, cp, 100, 999, int.MinValue, int.MaxValue, "error.expected.int") is { } n)
                    {
                        codes.Add((int)n);
                    }
                }
                if (items.Count == 0)
                {
                    r.Fail(RamlReader.Child(p, "httpStatusCodesForReady"), "error.minLength");
                }
            }
            result.Add(new ReadinessCheckSpec
            {
                Name = r.String(v, "name", p, minLength: 1) ?? "readinessCheck",
                Protocol = r.Enum(v, "protocol", p, HttpSchemes) ?? "HTTP",
                Path = r.String(v, "path", p, minLength: 1, maxLength: 1024) ?? "/",
                PortName = r.String(v, "portName", p, minLength: 1, pattern: RamlPatterns.LegacyName()) ?? "http-api",
                IntervalSeconds = r.Int(v, "intervalSeconds", p, min: 0) ?? 30,
                TimeoutSeconds = r.Int(v, "timeoutSeconds", p, min: 1) ?? 10,
                // Normalization: no codes means [200] (AppNormalization).
                HttpStatusCodesForReady = new(codes is { Count: > 0 } ? codes.Distinct() : [200]),
                PreserveLastResponse = r.Bool(v, "preserveLastResponse", p) ?? false,
            });
        }
        return result;
    }
}
