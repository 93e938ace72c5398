using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Harrier.Bench;

/// <summary>A real <c>harrier dev</c> on a free loopback port and a temp data dir; stopped by PID.</summary>
internal sealed class DevServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _problems = [];

    private DevServer(Process process, int port, string dataDir)
    {
        _process = process;
        Port = port;
        DataDir = dataDir;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
    }

    public int Port { get; }
    public string DataDir { get; }
    public HttpClient Http { get; }
    public int Pid => _process.Id;

    public static async Task<DevServer> StartAsync(params string[] extra)
    {
        var bin = Environment.GetEnvironmentVariable("HARRIER_BIN") ?? FindBinary();
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            port = ((IPEndPoint)l.LocalEndpoint).Port;
        }
        var dataDir = Path.Combine(Path.GetTempPath(), "harrier-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var psi = new ProcessStartInfo(bin) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "dev", "--http-port", port.ToString(), "--data-dir", dataDir }.Concat(extra))
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi)!;
        var server = new DevServer(process, port, dataDir);
        process.OutputDataReceived += (_, e) => server.Note(e.Data);
        process.ErrorDataReceived += (_, e) => server.Note(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await server.Http.GetAsync("/ping")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("harrier dev did not start");
    }

    /// <summary>The server's warning, error and critical log lines so far (the first 500).</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems)
            {
                return [.. _problems];
            }
        }
    }

    private void Note(string? line)
    {
        if (line is null || !(line.Contains(" warn: ", StringComparison.Ordinal) || line.Contains(" fail: ", StringComparison.Ordinal)
            || line.Contains(" crit: ", StringComparison.Ordinal)))
        {
            return;
        }
        lock (_problems)
        {
            if (_problems.Count < 500)
            {
                _problems.Add(line);
            }
        }
    }

    /// <summary>The server's user+system CPU time so far (<c>/proc/PID/stat</c>).</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime (fields 14 and 15)
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>The local agent's id, once it has registered (waits up to 30 s).</summary>
    public async Task<string> AgentIdAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var agents = (await GetAsync("/v2/agents"))["agents"]!.AsArray();
            if (agents.FirstOrDefault(a => (bool?)a!["connected"] == true) is { } agent)
            {
                return (string)agent["id"]!;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the local agent did not register");
            }
            await Task.Delay(50);
        }
    }

    public long RssKiB()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }

    public async Task<JsonNode> GetAsync(string path) => JsonNode.Parse(await Http.GetStringAsync(path))!;

    public async ValueTask DisposeAsync()
    {
        try
        {
            var apps = (await GetAsync("/v2/apps"))["apps"]!.AsArray();
            foreach (var app in apps)
            {
                await Http.DeleteAsync($"/v2/apps{app!["id"]}?force=true");
            }
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline && (await GetAsync("/v2/tasks"))["tasks"]!.AsArray().Count > 0)
            {
                await Task.Delay(100);
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
        }
        _process.Kill();
        await _process.WaitForExitAsync();
        Http.Dispose();
        // Containers (and their mounts and cgroups) outlive the process: remove any the deletes above did not.
        await ContainerCleanup.RemoveDevLeftoversAsync(DataDir);
        try
        {
            Directory.Delete(DataDir, true);
        }
        catch (IOException)
        {
        }
    }

    internal static string FindBinary()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "src", "Harrier.Host", "bin", "Release", "net10.0", "harrier");
            if (File.Exists(path))
            {
                return path;
            }
        }
        throw new InvalidOperationException("Build src/Harrier.Host in Release first, or set HARRIER_BIN");
    }
}
