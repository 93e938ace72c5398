using Harrier.Core.Apps;

namespace Harrier.Scheduling;

/// <summary>
/// The host ports an app's instance needs (spec §6.2), in declaration order: a value is an exact port, null a random
/// one. Host networking takes a random port per port definition unless <c>requirePorts</c>; bridge mappings always get
/// a host port (missing = random); container-network mappings get one only when <c>hostPort</c> is present.
/// </summary>
internal sealed class PortNeed
{
    private PortNeed(int?[] requests)
    {
        Requests = requests;
        Fixed = [.. requests.OfType<int>().Distinct()];
        RandomCount = requests.Count(r => r is null);
    }

    public int?[] Requests { get; }

    /// <summary>The distinct exact ports.</summary>
    public int[] Fixed { get; }

    public int RandomCount { get; }

    public bool IsEmpty => Requests.Length == 0;

    public static PortNeed For(AppSpec app)
    {
        if (app.IsHostNetworking)
        {
            return new PortNeed([.. app.PortDefinitions.Select(p => app.RequirePorts && p.Port != 0 ? p.Port : (int?)null)]);
        }
        var mappings = app.Container?.PortMappings ?? default;
        if (app.NetworkMode == NetworkMode.ContainerBridge)
        {
            return new PortNeed([.. mappings.Select(m => m.HostPort is null or 0 ? null : m.HostPort)]);
        }
        return new PortNeed([.. mappings.Where(m => m.HostPort is not null).Select(m => m.HostPort == 0 ? null : m.HostPort)]);
    }
}
