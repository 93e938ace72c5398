using Harrier.LoadBalancer.Rendering;

namespace Harrier.LoadBalancer.Live;

/// <summary>The balancer's view of the proxy it drives (HAProxy through <c>HaproxyDriver</c>; a fake in tests).</summary>
internal interface IProxyDriver
{
    /// <summary>
    /// Starts the proxy with <paramref name="config"/>, or adopts one already serving this work directory and brings it
    /// to <paramref name="config"/> — unless <paramref name="keepAdopted"/> (the server did not answer yet): an adopted
    /// proxy then keeps serving what it runs.
    /// </summary>
    Task StartAsync(RenderedConfig config, bool keepAdopted, CancellationToken ct);

    /// <summary>Brings the proxy to <paramref name="config"/>: runtime changes when only servers differ, else a validated reload.</summary>
    Task<ProxyChange> ApplyAsync(RenderedConfig config, CancellationToken ct);

    /// <summary>Validates and reloads the config file as it is (<c>/_mlb_signal/usr1</c>).</summary>
    Task<ProxyChange> ReloadAsync(CancellationToken ct);

    /// <summary>Stops sending new requests to a server and waits (bounded) until its sessions end; true when drained.</summary>
    Task<bool> DrainAsync(string backend, string server, TimeSpan timeout, CancellationToken ct);

    /// <summary>Per-backend and per-server figures and the proxy's PIDs.</summary>
    Task<ProxyStats> StatsAsync(CancellationToken ct);

    /// <summary>Stops the proxy gracefully (not called on <c>kill -9</c>: the proxy then keeps serving).</summary>
    Task StopAsync();
}
