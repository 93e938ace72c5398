using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Harrier.LoadBalancer.Marathon;

/// <summary>
/// marathon-lb's <c>ServicePortAssigner</c>: an IP-per-task app without service ports gets ports from
/// [min, max], chosen by <c>sha1("&lt;appId&gt;-&lt;taskPort&gt;-&lt;try&gt;")</c> so every balancer picks the same ones;
/// 50 clashes fall back to the lowest free port, and none is left when the range is used up. One instance per render
/// (marathon-lb resets it each time), so the apps' order decides clashes.
/// </summary>
internal sealed class ServicePortAssigner(int minPort, int maxPort)
{
    private const int MaxClashes = 50;

    private readonly Dictionary<(string AppId, int TaskPort), int?> _assigned = [];
    private readonly HashSet<int> _taken = [];

    private bool CanAssign => minPort > 0 && maxPort >= minPort;

    private int RangeSize => maxPort - minPort + 1;

    /// <summary>The app's service ports in order; null entries are ports the range could not supply.</summary>
    public List<int?> ServicePorts(MarathonApp app)
    {
        if (app.Mode is NetworkingMode.Container or NetworkingMode.Bridge)
        {
            var mapped = app.PortMappingServicePorts.Where(p => p is not null).ToList();
            if (mapped.Count > 0)
            {
                return mapped;
            }
        }
        var ports = (app.PortDefinitionPorts ?? app.LegacyPorts).Select(p => (int?)p).ToList();
        if (ports.Count == 0 && app.Mode == NetworkingMode.Container && CanAssign && app.Tasks.Count > 0)
        {
            ports = [.. TaskPorts.Of(app, app.Tasks[0]).Select(p => Assign(app.Id, p))];
        }
        return ports;
    }

    private int? Assign(string appId, int taskPort)
    {
        if (_assigned.TryGetValue((appId, taskPort), out var known) && known is not null)
        {
            return known;
        }
        var port = NewPort(appId, taskPort);
        _assigned[(appId, taskPort)] = port;
        if (port is { } p)
        {
            _taken.Add(p);
        }
        return port;
    }

    private int? NewPort(string appId, int taskPort)
    {
        if (RangeSize <= _assigned.Count)
        {
            return null;
        }
        for (var i = 0; i < MaxClashes; i++)
        {
#pragma warning disable CA5350 // not security: marathon-lb's port choice, reproduced so every balancer agrees
            var hash = SHA1.HashData(Encoding.UTF8.GetBytes($"{appId}-{taskPort.ToString(CultureInfo.InvariantCulture)}-{i.ToString(CultureInfo.InvariantCulture)}"));
#pragma warning restore CA5350
            var first32 = ((uint)hash[0] << 24) | ((uint)hash[1] << 16) | ((uint)hash[2] << 8) | hash[3];
            var trial = minPort + (int)(first32 % (uint)RangeSize);
            if (!_taken.Contains(trial))
            {
                return trial;
            }
        }
        for (var port = minPort; port <= maxPort; port++)
        {
            if (!_taken.Contains(port))
            {
                return port;
            }
        }
        return null;
    }
}
