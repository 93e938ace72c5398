using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harrier.LoadBalancer.Haproxy;

/// <summary>How the supervisor runs HAProxy: where its files live, which binary, and how long it waits for it.</summary>
/// <param name="Paths">The balancer's work directory layout (config, maps, sockets, PID file, Lua services).</param>
public sealed record HaproxySupervisorOptions(LbPaths Paths)
{
    /// <summary>The HAProxy binary (looked up on PATH when not absolute).</summary>
    public string HaproxyBinary { get; init; } = "haproxy";

    /// <summary>
    /// The balancer's own HTTP port on 127.0.0.1, where the <c>/_mlb_signal/hup|usr1</c> Lua services POST; null
    /// makes them answer 500 as marathon-lb's script did when no marathon-lb was running.
    /// </summary>
    public int? ControlPort { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>How long a removed server may keep its sessions before it is cut off and deleted.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bound on every runtime API / master CLI exchange.</summary>
    public TimeSpan SocketTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Bound on start, reload (until the new worker serves), <c>haproxy -c</c> and soft stop.</summary>
    public TimeSpan ProcessTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
