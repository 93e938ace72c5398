using Harrier.Core.Resources;

namespace Harrier.Agent;

/// <summary>
/// Mesos' <c>network/port_mapping</c> isolator flags (<c>--isolation network/port_mapping</c> turns it on): the
/// <c>ephemeral_ports</c> resource, <c>--ephemeral-ports-per-container</c>, <c>--egress-rate-limit-per-container</c>,
/// <c>--network-enable-socket-statistics-summary</c>/<c>-details</c> and <c>--eth0-name</c>.
/// </summary>
public sealed record PortMappingIsolatorOptions
{
    /// <summary>Mesos' MIN_EPHEMERAL_PORTS_SIZE.</summary>
    public const int MinEphemeralPortsPerContainer = 16;

    /// <summary>Ports sliced among containers for their outgoing connections (must lie outside the agent's ports, the
    /// well-known ports and the host's own <c>ip_local_port_range</c>).</summary>
    public IReadOnlyList<PortRange> EphemeralPorts { get; init; } = [];

    /// <summary>Ports each container gets (a power of 2, at least 16; Mesos' default 1024).</summary>
    public int EphemeralPortsPerContainer { get; init; } = 1024;

    /// <summary>Bytes per second each container may send; null = unlimited.</summary>
    public long? EgressRateLimitPerContainer { get; init; }

    /// <summary><c>net_tcp_active_connections</c> and <c>net_tcp_time_wait_connections</c> in the statistics.</summary>
    public bool SocketStatisticsSummary { get; init; }

    /// <summary><c>net_tcp_rtt_microsecs_p50</c> … <c>_p99</c> in the statistics.</summary>
    public bool SocketStatisticsDetails { get; init; }

    /// <summary>The host's public interface; null = the interface of the default route.</summary>
    public string? Eth0Name { get; init; }

    /// <summary>What is wrong with these options for an agent offering <paramref name="agentPorts"/>, or null.</summary>
    public string? Validate(IReadOnlyList<PortRange> agentPorts)
    {
        var n = EphemeralPortsPerContainer;
        if (EphemeralPorts.Count == 0)
        {
            return "network/port_mapping needs ephemeral ports: add an ephemeral_ports range to --resources "
                + "(e.g. 'ephemeral_ports:[20480-28671]'), outside --ports and the host's ip_local_port_range";
        }
        if (n < MinEphemeralPortsPerContainer || (n & (n - 1)) != 0)
        {
            return $"--ephemeral-ports-per-container must be a power of 2 of at least {MinEphemeralPortsPerContainer}, not {n}";
        }
        foreach (var range in EphemeralPorts)
        {
            if (range.Begin < 1024)
            {
                return $"ephemeral_ports {range.Begin}-{range.End} overlap the well-known ports (below 1024)";
            }
            if (agentPorts.Where(p => p.Begin <= range.End && range.Begin <= p.End).Select(p => (PortRange?)p).FirstOrDefault() is { } clash)
            {
                return $"ephemeral_ports {range.Begin}-{range.End} overlap the agent's ports {clash.Begin}-{clash.End}";
            }
        }
        if (!EphemeralPorts.Any(r => r.End - (r.Begin + n - 1) / n * n + 1 >= n))
        {
            return $"ephemeral_ports hold no aligned range of {n} ports (--ephemeral-ports-per-container)";
        }
        return null;
    }
}
