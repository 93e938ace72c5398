namespace Harrier.LoadBalancer.Live;

internal enum ProxyChangeKind
{
    /// <summary>The proxy already runs this config.</summary>
    None,

    /// <summary>Servers added, removed or changed through the runtime API; no reload.</summary>
    Runtime,

    /// <summary>The config's shape changed: validated and reloaded seamlessly.</summary>
    Reloaded,

    /// <summary>The proxy refused the config; the previous one keeps serving.</summary>
    Rejected,
}
