using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harrier.Bench.Lb;

/// <summary>
/// A real <c>harrier lb</c> on loopback (every listener on 127.0.0.1, free ports, group <c>external</c>,
/// <c>--health-check</c>) with its own work directory. Disposing sends it SIGTERM (it stops its HAProxy), kills it by
/// PID after 20 s, then kills the HAProxy master its PID file names if that one still loads this work directory.
/// </summary>
internal sealed class LbBalancerProcess : IAsyncDisposable
{
    private const int KeptOutput = 64 * 1024;
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private LbBalancerProcess(Process process, string workDir, int controlPort)
    {
        _process = process;
        WorkDir = workDir;
        ControlUrl = new Uri($"http://127.0.0.1:{controlPort}/");
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    }

    public string WorkDir { get; }
    public Uri ControlUrl { get; }
    public HttpClient Http { get; }
    public int Pid => _process.Id;

    /// <summary>The balancer's output so far (the last 64 KiB), for a failure's message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<LbBalancerProcess> StartAsync(Uri server, params string[] extra)
    {
        var workDir = Path.Combine(Path.GetTempPath(), "harrier-bench-lb-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(workDir);
        var stats = FreePort();
        var control = FreePort();
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("HARRIER_BIN") ?? DevServer.FindBinary())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] args =
        [
            "lb", "--server", server.ToString(), "--group", "external", "--health-check", "--work-dir", workDir,
            "--bind-address", "127.0.0.1", "--http-port", Port(FreePort()), "--https-port", Port(FreePort()),
            "--http-appid-port", Port(FreePort()), "--stats-port", Port(stats), "--control-address", $"127.0.0.1:{Port(control)}",
            .. extra,
        ];
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var lb = new LbBalancerProcess(Process.Start(psi)!, workDir, control);
        lb._process.OutputDataReceived += (_, e) => lb.Note(e.Data);
        lb._process.ErrorDataReceived += (_, e) => lb.Note(e.Data);
        lb._process.BeginOutputReadLine();
        lb._process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (lb._process.HasExited)
            {
                await lb.DisposeAsync();
                throw new InvalidOperationException("harrier lb exited: " + lb.Output);
            }
            try
            {
                if ((await lb.Http.GetAsync($"http://127.0.0.1:{stats}/_haproxy_health_check")).IsSuccessStatusCode
                    && (await lb.Http.GetAsync(new Uri(lb.ControlUrl, "health"))).IsSuccessStatusCode)
                {
                    return lb;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        await lb.DisposeAsync();
        throw new TimeoutException("harrier lb and its HAProxy did not answer in 30 s: " + lb.Output);
    }

    /// <summary>One unlabelled series of the balancer's own <c>/metrics</c> (NaN when absent).</summary>
    public async Task<double> MetricAsync(string name) =>
        PrometheusText.Value(await Http.GetStringAsync(new Uri(ControlUrl, "metrics")), name);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("/bin/kill", ["-TERM", Port(_process.Id)]))
            {
                await term.WaitForExitAsync();
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        var pidFile = Path.Combine(WorkDir, "haproxy.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var master)
            && File.Exists($"/proc/{master}/cmdline") && File.ReadAllText($"/proc/{master}/cmdline").Contains(WorkDir, StringComparison.Ordinal))
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
            // A dying HAProxy's socket; the temp dir is cleaned by the OS eventually.
        }
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private void Note(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > KeptOutput)
            {
                _output.Remove(0, _output.Length - KeptOutput);
            }
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
