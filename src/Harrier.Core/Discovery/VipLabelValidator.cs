using System.Globalization;

namespace Harrier.Core.Discovery;

/// <summary>
/// Checks an app's VIP labels. Errors: an empty or garbage value, a bad address, a port that is not a number or is
/// out of range, and one VIP (name-or-address, port, protocol) claimed by two different ports of the same app — the
/// kernel rules could not tell which port a connection was meant for. The same VIP twice on one port is harmless.
/// </summary>
public static class VipLabelValidator
{
    public static IReadOnlyList<VipLabelError> Validate(IEnumerable<VipPort> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var errors = new List<VipLabelError>();
        var claimedBy = new Dictionary<(string Identity, int Port, string Protocol), int>();
        foreach (var port in ports)
        {
            foreach (var (key, value) in port.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                if (!VipLabel.IsVipKey(key))
                {
                    continue;
                }
                var path = $"({port.PortIndex.ToString(CultureInfo.InvariantCulture)})/labels/{key}";
                if (!VipLabel.TryParse(value, out var vip, out var error))
                {
                    errors.Add(new VipLabelError(path, error));
                    continue;
                }
                foreach (var protocol in VipLabel.Protocols(port.Protocol))
                {
                    var claim = (vip.Identity, vip.Port, protocol);
                    if (claimedBy.TryGetValue(claim, out var other) && other != port.PortIndex)
                    {
                        errors.Add(new VipLabelError(path,
                            $"VIP {value} ({protocol}) is already claimed by port {other.ToString(CultureInfo.InvariantCulture)} of this app; a VIP can point to only one port"));
                        break;
                    }
                    claimedBy.TryAdd(claim, port.PortIndex);
                }
            }
        }
        return errors;
    }
}
