using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Harrier.Testing;

namespace Harrier.E2E.Tests.LoadBalancer;

/// <summary>
/// A real <c>harrier lb</c> on loopback (every listener on 127.0.0.1, free ports) with its own work directory.
/// Disposing stops it with SIGTERM (which stops its HAProxy) and then makes sure no HAProxy of this work directory is
/// left: the master named by the PID file is killed by PID, never by name.
/// </summary>
internal sealed class LbProcess : IAsyncDisposable
{
    private readonly StringBuilder output = new();
    private Process? process;

    private LbProcess(Uri server, string[] extraArgs, string[]? prefix = null, string address = "127.0.0.1", bool guidePorts = false)
    {
        Server = server;
        ExtraArgs = extraArgs;
        Prefix = prefix ?? [];
        Address = address;
        WorkDir = Path.Combine(Path.GetTempPath(), "harrier-lb-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(WorkDir);
        HttpPort = guidePorts ? 80 : FreePort();
        HttpsPort = guidePorts ? 443 : FreePort();
        AppIdPort = guidePorts ? 9091 : FreePort();
        StatsPort = guidePorts ? 9090 : FreePort();
        ControlPort = guidePorts ? 9092 : FreePort();
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri Server { get; }
    public string[] ExtraArgs { get; }

    /// <summary>A command the balancer runs under (<c>nsenter --net=…</c>); empty on the machine's loopback.</summary>
    public string[] Prefix { get; }

    /// <summary>Where the test reaches the stats and control listeners (and, on loopback, the frontends).</summary>
    public string Address { get; }
    public string WorkDir { get; }
    public int HttpPort { get; }
    public int HttpsPort { get; }
    public int AppIdPort { get; }
    public int StatsPort { get; }
    public int ControlPort { get; }
    public HttpClient Http { get; }
    public string Output { get { lock (output) { return output.ToString(); } } }
    public int? Pid => process is { HasExited: false } p ? p.Id : null;
    public Uri StatsUrl => new($"http://{Address}:{StatsPort}/");
    public Uri ControlUrl => new($"http://{Address}:{ControlPort}/");

    /// <summary>The HAProxy master's PID from the work directory's PID file, or null.</summary>
    public int? HaproxyMasterPid =>
        File.Exists(Path.Combine(WorkDir, "haproxy.pid")) && int.TryParse(File.ReadAllText(Path.Combine(WorkDir, "haproxy.pid")).Trim(), out var pid) && Directory.Exists($"/proc/{pid}") ? pid : null;

    public static async Task<LbProcess> StartAsync(Uri server, params string[] extraArgs)
    {
        var lb = new LbProcess(server, extraArgs);
        await lb.StartProcessAsync();
        return lb;
    }

    /// <summary>
    /// The balancer as the guide runs it, inside network namespace <paramref name="ns"/> (a test's own): marathon-lb's
    /// fixed ports (80, 443, 9091, stats 9090; control 9092), frontends on every address of the namespace, stats and
    /// control reached by the test at <paramref name="address"/> (the namespace's address).
    /// </summary>
    public static async Task<LbProcess> StartInNamespaceAsync(string ns, string address, Uri server, params string[] extraArgs)
    {
        var lb = new LbProcess(server, extraArgs, ["nsenter", "--net=/run/netns/" + ns, "--"], address, guidePorts: true);
        await lb.StartProcessAsync();
        return lb;
    }

    /// <summary>Starts (or restarts, after <see cref="KillHardAsync"/>) the balancer with the same ports and work directory.</summary>
    public async Task StartProcessAsync()
    {
        string[] command =
        [
            .. Prefix, HarrierDev.Binary, "lb", "--server", Server.ToString(), "--work-dir", WorkDir,
            // In a namespace, marathon-lb's default (every address), so both 127.0.0.1 and the namespace's address answer.
            .. Prefix.Length == 0 ? ["--bind-address", Address] : Array.Empty<string>(),
            "--http-port", Port(HttpPort), "--https-port", Port(HttpsPort), "--http-appid-port", Port(AppIdPort),
            "--stats-port", Port(StatsPort), "--control-address", $"{Address}:{Port(ControlPort)}",
            .. ExtraArgs.Contains("--group") ? Array.Empty<string>() : ["--group", "external"],
            .. ExtraArgs,
        ];
        var started = CapturedProcess.Start(command, output);
        process = started;
        await Eventually.TrueAsync(async () =>
        {
            if (started.HasExited)
            {
                throw new InvalidOperationException("harrier lb exited: " + Output);
            }
            try
            {
                return (await Http.GetAsync(new Uri(StatsUrl, "_haproxy_health_check"))).IsSuccessStatusCode
                    && (await Http.GetAsync(new Uri(ControlUrl, "health"))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "harrier lb and its HAProxy to answer");
    }

    /// <summary>SIGKILL the balancer only (its HAProxy keeps running).</summary>
    public async Task KillHardAsync()
    {
        if (process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: false);
            await p.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false } p)
        {
            using (var kill = Process.Start("/bin/kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await p.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
            }
        }
        if (HaproxyMasterPid is { } master && File.ReadAllText($"/proc/{master}/cmdline").Contains(WorkDir, StringComparison.Ordinal))
        {
            try
            {
                using var haproxy = Process.GetProcessById(master);
                haproxy.Kill(entireProcessTree: true);
                await haproxy.WaitForExitAsync();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
        Http.Dispose();
        try
        {
            Directory.Delete(WorkDir, recursive: true);
        }
        catch (IOException)
        {
            // Sockets of a dying HAProxy; the temp dir is cleaned by the OS eventually.
        }
    }

    /// <summary>GET through HAProxy on a port (a service port, or the HTTP port with a Host header).</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(int port, string path = "/", string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{Address}:{Port(port)}{path}");
        if (host is not null)
        {
            request.Headers.Host = host;
        }
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
