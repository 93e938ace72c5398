using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Harrier.LoadBalancer.Haproxy;
using Harrier.LoadBalancer.Rendering;
using Harrier.Testing;

namespace Harrier.LoadBalancer.Tests.Haproxy;

/// <summary>
/// A temp work directory, free loopback ports, hand-written marathon-lb-shaped configs and a supervisor for a real
/// HAProxy. Disposing stops every HAProxy master this work directory's PID file named (and its workers) by PID, and
/// removes the directory.
/// </summary>
internal sealed class HaproxyTestBed : IAsyncDisposable
{
    private readonly HashSet<int> _masters = [];

    private HaproxyTestBed(string dir)
    {
        Paths = new LbPaths(dir);
        StatsPort = FreePort();
        FrontendPort = FreePort();
        Http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(10) };
        Http.DefaultRequestHeaders.ConnectionClose = true;
    }

    public LbPaths Paths { get; }

    public int StatsPort { get; }

    public int FrontendPort { get; }

    public HttpClient Http { get; }

    /// <summary>Null with a skip reason when haproxy is missing (throws in CI).</summary>
    public static HaproxyTestBed? Create(out string? skip)
    {
        skip = Requirements.Binary("haproxy");
        if (skip is not null)
        {
            return null;
        }
        var dir = Path.Combine(Path.GetTempPath(), "harrier-haproxy-" + Path.GetRandomFileName());
        Directory.CreateDirectory(dir);
        return new HaproxyTestBed(dir);
    }

    public HaproxySupervisor Supervisor(int? controlPort = null, TimeSpan? drainTimeout = null) =>
        new(new HaproxySupervisorOptions(Paths) { ControlPort = controlPort, DrainTimeout = drainTimeout ?? TimeSpan.FromSeconds(10) });

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    /// <summary>A marathon-lb-shaped config: head with the Lua services, one frontend and backend "app_10000".</summary>
    public RenderedConfig Config(IEnumerable<TinyBackend> servers, string backendExtra = "", string? disabled = null, string serverOptions = "", string? domainMap = null)
    {
        var lua = Paths.LuaDirectory;
        var sb = new StringBuilder();
        sb.Append($"""
            global
              maxconn 1000
              stats socket {Paths.StatsSocket} expose-fd listeners
              server-state-file global
              server-state-base {Paths.StateDirectory}
              lua-load {lua}/getpids.lua
              lua-load {lua}/getconfig.lua
              lua-load {lua}/getmaps.lua
              lua-load {lua}/signalmlb.lua
            defaults
              load-server-state-from-file global
              retries                   3
              timeout connect          3s
              timeout client          30s
              timeout server          30s
              option            http-server-close
              option            redispatch
            listen stats
              bind 127.0.0.1:{StatsPort}
              balance
              mode http
              stats enable
              monitor-uri /_haproxy_health_check
              acl getpid path /_haproxy_getpids
              http-request use-service lua.getpids if getpid
              acl getvhostmap path /_haproxy_getvhostmap
              http-request use-service lua.getvhostmap if getvhostmap
              acl getappmap path /_haproxy_getappmap
              http-request use-service lua.getappmap if getappmap
              acl getconfig path /_haproxy_getconfig
              http-request use-service lua.getconfig if getconfig

              acl signalmlbhup path /_mlb_signal/hup
              http-request use-service lua.signalmlbhup if signalmlbhup
              acl signalmlbusr1 path /_mlb_signal/usr1
              http-request use-service lua.signalmlbusr1 if signalmlbusr1

            frontend app_10000
              bind 127.0.0.1:{FrontendPort}
              mode http
              use_backend app_10000

            backend app_10000
              balance roundrobin
              mode http
              option forwardfor
            """).Append('\n');
        if (backendExtra.Length > 0)
        {
            sb.Append("  ").Append(backendExtra).Append('\n');
        }
        var list = servers.ToList();
        foreach (var s in list)
        {
            var name = $"127_0_0_1_{s.Port}";
            sb.Append($"  server {name} 127.0.0.1:{s.Port} id {(s.Port % 32000) + 1}{serverOptions}{(s.Name == disabled ? " disabled" : "")}\n");
        }
        var rendered = list.Select(s => new RenderedServer("app_10000", $"127_0_0_1_{s.Port}", s.Name, "/app", s.Name == disabled)).ToList();
        return new RenderedConfig(sb.ToString(), domainMap, null, rendered);
    }

    public static string ServerName(TinyBackend b) => $"127_0_0_1_{b.Port}";

    public async Task<string> GetAsync(string path = "/", int? port = null) =>
        await Http.GetStringAsync($"http://127.0.0.1:{port ?? FrontendPort}{path}");

    /// <summary>The names answering <paramref name="count"/> requests through the frontend.</summary>
    public async Task<HashSet<string>> AnswersAsync(int count)
    {
        var names = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            names.Add(await GetAsync());
        }
        return names;
    }

    public void Track(int? master)
    {
        if (master is { } pid)
        {
            _masters.Add(pid);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (ReadPid() is { } pid)
        {
            _masters.Add(pid);
        }
        foreach (var master in _masters)
        {
            await KillAsync(master);
        }
        try
        {
            Directory.Delete(Paths.WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public int? ReadPid() =>
        File.Exists(Paths.PidFile) && int.TryParse(File.ReadAllText(Paths.PidFile).Trim(), out var pid) ? pid : null;

    /// <summary>Kills a master this test bed started (only if its cmdline loads this work dir's config) and its workers.</summary>
    private async Task KillAsync(int master)
    {
        if (!IsOurs(master))
        {
            return;
        }
        var workers = ChildrenOf(master);
        Signal(master, "TERM");
        var deadline = Stopwatch.StartNew();
        while (IsOurs(master) && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(50);
        }
        foreach (var pid in workers.Append(master).Where(IsOurs))
        {
            Signal(pid, "KILL");
        }
    }

    private bool IsOurs(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z') is false
                && File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Contains(Paths.ConfigFile);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static List<int> ChildrenOf(int parent)
    {
        var list = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (fields.Length > 1 && fields[1] == parent.ToString())
                    {
                        list.Add(pid);
                    }
                }
                catch (IOException)
                {
                }
            }
        }
        return list;
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString()]) { RedirectStandardError = true });
        kill?.WaitForExit(5000);
    }

    public static List<int> Children(int parent) => ChildrenOf(parent);
}
