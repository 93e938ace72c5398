using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Discovery;

namespace Harrier.Server.Discovery;

/// <summary>One VIP an app's port claims: the port's index (in portDefinitions or portMappings), the parsed label and
/// one protocol (a <c>tcp,udp</c> port claims two).</summary>
internal sealed record AppVipPort(int PortIndex, VipLabel Label, string Protocol);

/// <summary>The VIPs an app's ports claim (labels the API validated; anything unparseable is skipped).</summary>
internal static class AppVipPorts
{
    public static IReadOnlyList<AppVipPort> Of(AppSpec app)
    {
        List<AppVipPort>? result = null;
        var ports = app.IsHostNetworking
            ? app.PortDefinitions.Select((d, i) => (Index: i, d.Protocol, d.Labels))
            : (app.Container?.PortMappings ?? ValueList<PortMapping>.Empty).Select((m, i) => (Index: i, m.Protocol, m.Labels));
        foreach (var (index, protocol, labels) in ports)
        {
            if (labels.Count == 0)
            {
                continue;
            }
            foreach (var (key, value) in labels)
            {
                if (VipLabel.IsVipKey(key) && VipLabel.TryParse(value, out var label, out _))
                {
                    foreach (var p in VipLabel.Protocols(protocol))
                    {
                        (result ??= []).Add(new AppVipPort(index, label, p));
                    }
                }
            }
        }
        return result ?? (IReadOnlyList<AppVipPort>)[];
    }
}
