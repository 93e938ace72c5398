namespace Harrier.LoadBalancer;

/// <summary>
/// Where a live balancer keeps HAProxy's files, all under <c>--work-dir</c>: the config and its map files, the stats
/// (runtime API) and master sockets, the server-state directory, the Lua services of the stats listener, and the
/// master's PID file that a restarted balancer adopts.
/// </summary>
public sealed record LbPaths(string WorkDirectory)
{
    /// <summary>The config file (<c>--haproxy-config</c> moves it; the map files live beside it, as in marathon-lb).</summary>
    public string ConfigFile { get; init; } = Path.Combine(WorkDirectory, "haproxy.cfg");

    public string DomainMapFile => Path.Combine(Path.GetDirectoryName(ConfigFile) ?? WorkDirectory, "domain2backend.map");

    public string AppMapFile => Path.Combine(Path.GetDirectoryName(ConfigFile) ?? WorkDirectory, "app2backend.map");

    /// <summary>The runtime API socket (<c>stats socket … expose-fd listeners</c>).</summary>
    public string StatsSocket => Path.Combine(WorkDirectory, "haproxy.sock");

    /// <summary>The master CLI (<c>-S</c>): <c>show proc</c>, <c>reload</c>.</summary>
    public string MasterSocket => Path.Combine(WorkDirectory, "master.sock");

    /// <summary>The <c>server-state-base</c> directory (ends with a slash, as HAProxy joins it with the file name).</summary>
    public string StateDirectory => Path.Combine(WorkDirectory, "state") + "/";

    public string LuaDirectory => Path.Combine(WorkDirectory, "lua");

    public string PidFile => Path.Combine(WorkDirectory, "haproxy.pid");

    /// <summary>The balancer's self-signed certificate when <c>--ssl-certs</c> names none that exists.</summary>
    public string DefaultCertificate => Path.Combine(WorkDirectory, "cert.pem");
}
