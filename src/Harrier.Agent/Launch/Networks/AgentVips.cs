using System.Net;
using Harrier.Networking.Vips;
using Harrier.Protocol;
using Microsoft.Extensions.Logging;

namespace Harrier.Agent.Launch.Networks;

/// <summary>
/// This host's VIP rules as the server last described them (<see cref="VipConfigCommand"/>): the newest set is applied,
/// the first one after an agent start through <see cref="VipTable.ReconcileAsync"/> (what the kernel holds is read back
/// and stale VIPs go). A backend on this agent's own host port is sent straight to the task behind the mapping (a
/// connection gets one DNAT, so it could not go through the VIP's rule and then the port map). Rules stay when the
/// agent stops: running tasks keep their VIPs while it restarts.
/// </summary>
internal sealed class AgentVips : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly AgentNetworks _networks;
    private readonly string _self;
    private readonly ILogger _logger;
    private VipConfigCommand? _latest;
    private bool _reconciled;
    private string? _routedRange;

    public AgentVips(AgentNetworks networks, string agentId, ILogger logger)
    {
        _networks = networks;
        _self = agentId;
        _logger = logger;
        Table = new VipTable(networks.Host);
        networks.MappingsChanged += OnMappingsChanged;
    }

    public VipTable Table { get; }

    /// <summary>Applies the newest configuration (an older one still queued is skipped).</summary>
    public async Task ApplyAsync(VipConfigCommand config, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _latest, config);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!ReferenceEquals(Volatile.Read(ref _latest), config))
            {
                return;
            }
            // An agent that never had a VIP leaves the host alone: no table, no route, until the first VIP comes.
            if (!_reconciled && config.Vips.Count == 0
                && (await _networks.Host.TryExecAsync("nft", ["list", "table", "ip", Table.Name], cancellationToken: cancellationToken)).ExitCode != 0)
            {
                return;
            }
            if (config.Vips.Count > 0)
            {
                await RouteRangeAsync(config.Range, cancellationToken);
            }
            var desired = Desired(config);
            var result = _reconciled ? await Table.ApplyAsync(desired, cancellationToken) : await Table.ReconcileAsync(desired, cancellationToken);
            _reconciled = true;
            if (result.Rejected.Count > 0)
            {
                AgentLog.VipsRejected(_logger, string.Join("; ", result.Rejected));
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The named VIPs' range goes nowhere but to this host's VIPs (their /32s are local and win): an address of
    /// it no VIP holds is unreachable here instead of following the default route.</summary>
    private async Task RouteRangeAsync(string? range, CancellationToken cancellationToken)
    {
        if (range == _routedRange || range is null || !Harrier.Core.Networks.Ipv4Cidr.TryParse(range, out var cidr, out _))
        {
            return;
        }
        if (_routedRange is { } old)
        {
            await _networks.Host.TryIpAsync(["route", "del", "unreachable", old], cancellationToken);
        }
        await _networks.Host.IpAsync(["route", "replace", "unreachable", cidr.ToString()], cancellationToken: cancellationToken);
        _routedRange = cidr.ToString();
    }

    /// <summary>The VIP services <paramref name="config"/> describes, local host-port backends translated.</summary>
    public IReadOnlyList<VipService> Desired(VipConfigCommand config)
    {
        var services = new List<VipService>(config.Vips.Count);
        foreach (var vip in config.Vips)
        {
            if (!IPAddress.TryParse(vip.Address, out var address) || vip.Protocol is not ("tcp" or "udp"))
            {
                continue;
            }
            var backends = new List<VipBackend>(vip.Backends.Count);
            foreach (var b in vip.Backends)
            {
                if (b.Agent == _self && _networks.TryMapped(vip.Protocol, b.Port, out var task, out var port))
                {
                    backends.Add(new VipBackend(task, port, b.Weight));
                }
                else if (IPAddress.TryParse(b.Address, out var ip))
                {
                    backends.Add(new VipBackend(ip, b.Port, b.Weight));
                }
            }
            services.Add(new VipService(new VipKey(address, vip.Port, vip.Protocol == "udp" ? VipProtocol.Udp : VipProtocol.Tcp), backends));
        }
        return services;
    }

    /// <summary>A mapping came or went: local backends translate differently, so the newest set is applied again.</summary>
    private void OnMappingsChanged()
    {
        if (Volatile.Read(ref _latest) is { } latest && latest.Vips.Any(v => v.Backends.Any(b => b.Agent == _self)))
        {
            _ = ReapplyAsync(latest);
        }
    }

    private async Task ReapplyAsync(VipConfigCommand config)
    {
        try
        {
            await ApplyAsync(config, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AgentLog.VipConfigFailed(_logger, e);
        }
    }

    public void Dispose()
    {
        _networks.MappingsChanged -= OnMappingsChanged;
        _gate.Dispose();
        Table.Dispose();
    }
}
