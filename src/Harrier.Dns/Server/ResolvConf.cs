using System.Net;

namespace Harrier.Dns.Server;

/// <summary>The default upstreams: the <c>nameserver</c> lines of resolv.conf (port 53), without this server itself.</summary>
public static class ResolvConf
{
    public const string DefaultPath = "/etc/resolv.conf";

    public static IReadOnlyList<IPEndPoint> Nameservers(string text, IPEndPoint self)
    {
        var servers = new List<IPEndPoint>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || fields[0] != "nameserver")
            {
                continue;
            }
            // A scoped IPv6 address (fe80::1%eth0) parses with its scope.
            if (!IPAddress.TryParse(fields[1], out var address))
            {
                continue;
            }
            var endpoint = new IPEndPoint(address, 53);
            var isSelf = endpoint.Port == self.Port
                && (address.Equals(self.Address) || self.Address.Equals(IPAddress.Any) || self.Address.Equals(IPAddress.IPv6Any));
            if (!isSelf && !servers.Contains(endpoint))
            {
                servers.Add(endpoint);
            }
        }
        return servers;
    }

    public static IReadOnlyList<IPEndPoint> Read(IPEndPoint self, string path = DefaultPath)
    {
        try
        {
            return Nameservers(File.ReadAllText(path), self);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
