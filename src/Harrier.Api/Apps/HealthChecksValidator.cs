using Harrier.Api.Errors;
using Harrier.Core.Apps;

namespace Harrier.Api.Apps;

/// <summary>Health checks: port references, the Mesos check count, IPv6, and the command/protocol pairing.</summary>
internal static class HealthChecksValidator
{
    public const string PortIndexMessage = "Health check port indices must address an element of the ports array or container port mappings.";
    public const string IpProtocolMessage = "IPv6 can only be used for container type DOCKER and Mesos http/https/tcp health checks";

    public static IEnumerable<Violation> Validate(AppRaml app)
    {
        var portCount = PortCount(app);
        for (var i = 0; i < app.HealthChecks.Count; i++)
        {
            var check = app.HealthChecks[i];
            var path = $"/healthChecks({i})";
            var marathonRun = check.Protocol is HealthCheckProtocol.Http or HealthCheckProtocol.Https or HealthCheckProtocol.Tcp;
            if (check.Command is null && marathonRun)
            {
                var ok = check.PortIndex is { } idx ? idx < portCount : check.Port is not null || portCount == 1;
                if (!ok)
                {
                    yield return new Violation(path, PortIndexMessage);
                }
            }
            var mesosNet = check.Protocol is HealthCheckProtocol.MesosHttp or HealthCheckProtocol.MesosHttps or HealthCheckProtocol.MesosTcp;
            if (check.IpProtocol != "IPv4" && !(mesosNet && app.Container?.Type == ContainerType.Docker))
            {
                yield return new Violation(path, IpProtocolMessage);
            }
            if (check.Command is not null && check.Protocol != HealthCheckProtocol.Command)
            {
                yield return new Violation(path, $"illegal protocol {ProtocolName(check.Protocol)} specified with command");
            }
            if (check.Command is null && check.Protocol == HealthCheckProtocol.Command)
            {
                yield return new Violation(path, "command must be specified with COMMAND protocol");
            }
        }
        var mesosChecks = app.HealthChecks.Count(c => c.Command is not null
            || c.Protocol is HealthCheckProtocol.Command or HealthCheckProtocol.MesosHttp or HealthCheckProtocol.MesosHttps or HealthCheckProtocol.MesosTcp);
        var commandChecks = app.HealthChecks.Count(c => c.Command is not null);
        if (mesosChecks - commandChecks > 1)
        {
            yield return new Violation("/", "AppDefinition can contain at most one Mesos health check");
        }
    }

    /// <summary>Ports a check may address: port mappings when there are any, else port definitions.</summary>
    public static int PortCount(AppRaml app) =>
        app.Container?.PortMappings is { Count: > 0 } m ? m.Count : app.PortDefinitions?.Count ?? 0;

    public static string ProtocolName(HealthCheckProtocol protocol) => protocol switch
    {
        HealthCheckProtocol.Http => "HTTP",
        HealthCheckProtocol.Https => "HTTPS",
        HealthCheckProtocol.Tcp => "TCP",
        HealthCheckProtocol.Command => "COMMAND",
        HealthCheckProtocol.MesosHttp => "MESOS_HTTP",
        HealthCheckProtocol.MesosHttps => "MESOS_HTTPS",
        _ => "MESOS_TCP",
    };
}
