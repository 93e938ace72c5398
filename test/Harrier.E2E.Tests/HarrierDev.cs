using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Harrier.Testing;

namespace Harrier.E2E.Tests;

/// <summary>
/// A real <c>harrier dev</c> process on a free loopback port with its own data dir. Disposing deletes the apps it
/// still has, waits for their processes to go, stops the server (by PID), and kills any task process left under
/// its data dir, so tests leave nothing behind.
/// </summary>
public sealed class HarrierDev : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    private HarrierDev(string dataDir, int port, string[] extraArgs, string[]? prefix = null, string verb = "dev", HttpMessageHandler? https = null)
    {
        Scheme = https is null ? "http" : "https";
        Verb = verb;
        Prefix = prefix ?? [];
        DataDir = dataDir;
        Port = port;
        ExtraArgs = extraArgs;
        Http = new HttpClient(https ?? new HttpClientHandler()) { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
        // The harness reads Harrier's extensions (wait reasons, change classes) as the CLI does; a test of Marathon's
        // exact shapes uses a client of its own without this header (EventRecorder does).
        Http.DefaultRequestHeaders.Add("Harrier-Extensions", "true");
    }

    /// <summary>http, or https for a server started with a TLS client handler.</summary>
    public string Scheme { get; }

    /// <summary><c>dev</c> (server and a local agent) or <c>server</c> (agents join with <see cref="HarrierAgentProcess"/>).</summary>
    public string Verb { get; }
    public string DataDir { get; }
    public int Port { get; }
    public string[] ExtraArgs { get; }

    /// <summary>A command the server runs under (e.g. <c>setpriv</c> to drop root).</summary>
    public string[] Prefix { get; }
    public Uri Url => new($"{Scheme}://{BindAddress}:{Port}");

    /// <summary>The <c>--http-address</c> among the extra args, else loopback.</summary>
    public string BindAddress => Array.IndexOf(ExtraArgs, "--http-address") is var i and >= 0 && i + 1 < ExtraArgs.Length ? ExtraArgs[i + 1] : "127.0.0.1";
    public HttpClient Http { get; }
    public string Output { get { lock (_output) { return _output.ToString(); } } }
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    public static string Binary
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("HARRIER_BIN");
            if (!string.IsNullOrEmpty(fromEnv) && File.Exists(fromEnv))
            {
                return fromEnv;
            }
            foreach (var config in new[] { "Release", "Debug" })
            {
                var path = Path.Combine(RepoPaths.Root, "src", "Harrier.Host", "bin", config, "net10.0", "harrier");
                if (File.Exists(path))
                {
                    return path;
                }
            }
            throw new InvalidOperationException("harrier binary not built: run `dotnet build src/Harrier.Host` (or set HARRIER_BIN)");
        }
    }

    public static Task<HarrierDev> StartAsync(params string[] extraArgs) => StartUnderAsync([], extraArgs);

    /// <summary>Starts <c>harrier server</c>: the API and scheduler without an agent.</summary>
    public static Task<HarrierDev> StartServerAsync(params string[] extraArgs) => StartServerAsync(null, extraArgs);

    /// <summary>Starts <c>harrier server</c> spoken to over HTTPS through <paramref name="https"/> (null: plain HTTP).</summary>
    public static async Task<HarrierDev> StartServerAsync(HttpMessageHandler? https, params string[] extraArgs)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "harrier-e2e-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dataDir);
        var server = new HarrierDev(dataDir, FreePort(), extraArgs, verb: "server", https: https);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Starts the server under <paramref name="prefix"/>; the data dir is world-writable so a dropped user can use it.</summary>
    public static async Task<HarrierDev> StartUnderAsync(string[] prefix, params string[] extraArgs)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "harrier-e2e-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dataDir);
        if (prefix.Length > 0)
        {
            File.SetUnixFileMode(dataDir, (UnixFileMode)0x1FF);
        }
        var dev = new HarrierDev(dataDir, FreePort(), extraArgs, prefix);
        await dev.StartProcessAsync();
        return dev;
    }

    /// <summary>Starts (or restarts) the server process on the same port and data dir.</summary>
    public async Task StartProcessAsync()
    {
        var process = CapturedProcess.Start(
            [.. Prefix, Binary, Verb, "--http-port", Port.ToString(CultureInfo.InvariantCulture), "--data-dir", DataDir, .. ExtraArgs],
            _output);
        _process = process;
        await Eventually.TrueAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("harrier dev exited: " + Output);
            }
            try
            {
                return (await Http.GetAsync("/ping")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "harrier dev to answer /ping");
    }

    /// <summary>SIGKILL the server process (tasks, in their own sessions, survive).</summary>
    public async Task KillHardAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: false);
            await p.WaitForExitAsync();
        }
    }

    /// <summary>Runs the <c>harrier</c> CLI against this server (found through <c>HARRIER_URL</c>), bounded to 60 s.</summary>
    public Task<(int Code, string Out, string Err)> RunCliAsync(params string[] args) => RunCliAsync(new Dictionary<string, string>(), args);

    /// <summary>The same with extra environment variables (credentials: <c>HARRIER_TOKEN</c>, …).</summary>
    public async Task<(int Code, string Out, string Err)> RunCliAsync(IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in env)
        {
            psi.Environment[name] = value;
        }
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["HARRIER_URL"] = Url.ToString();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>SIGTERM the server process (what Ctrl-C or a service manager does) and wait for it to exit.</summary>
    public async Task StopGracefullyAsync()
    {
        if (_process is { HasExited: false } p)
        {
            using (var kill = Process.Start("/bin/kill", ["-TERM", p.Id.ToString()]))
            {
                await kill.WaitForExitAsync();
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await p.WaitForExitAsync(timeout.Token);
        }
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        var response = await Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path} -> {(int)response.StatusCode}: {body}");
        }
        return JsonNode.Parse(body)!;
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        if (!string.IsNullOrWhiteSpace(text))
        {
            try
            {
                body = JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException)
            {
                body = JsonValue.Create(text);
            }
        }
        return (response.StatusCode, body, response);
    }

    /// <summary>Waits until the app has exactly <paramref name="count"/> RUNNING tasks and no deployment.</summary>
    public async Task<JsonArray> WaitForRunningAsync(string appId, int count, TimeSpan? timeout = null)
    {
        JsonArray? last = null;
        try
        {
            return await Eventually.WaitAsync(async () =>
            {
                var tasks = (await GetJsonAsync($"/v2/apps{appId}/tasks"))["tasks"]!.AsArray();
                last = tasks;
                var running = tasks.Count(t => t!["state"]!.GetValue<string>() == "TASK_RUNNING");
                var deployments = (await GetJsonAsync("/v2/deployments")).AsArray().Count;
                return running == count && tasks.Count == count && deployments == 0 ? tasks : null;
            }, timeout ?? TimeSpan.FromSeconds(45), $"{count} running tasks of {appId}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; last tasks: {last?.ToJsonString()}; server output:\n{Output}", e);
        }
    }

    /// <summary>Distinct task ids of live processes on this host that belong to this server's sandboxes, for one app.</summary>
    public IReadOnlySet<string> HostTasks(string appId) =>
        TaskProcesses().Where(p => p.AppId == appId).Select(p => p.TaskId).ToHashSet();

    public IEnumerable<(int Pid, string AppId, string TaskId)> TaskProcesses()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            string environ;
            try
            {
                environ = File.ReadAllText(Path.Combine(dir, "environ"));
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                if (stat.Contains(") Z ", StringComparison.Ordinal))
                {
                    continue;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            var vars = environ.Split('\0');
            var sandbox = vars.FirstOrDefault(v => v.StartsWith("MESOS_SANDBOX=", StringComparison.Ordinal));
            if (sandbox is null || (!sandbox["MESOS_SANDBOX=".Length..].StartsWith(DataDir, StringComparison.Ordinal) && !InOwnContainer(dir)))
            {
                continue;
            }
            var app = vars.FirstOrDefault(v => v.StartsWith("MARATHON_APP_ID=", StringComparison.Ordinal))?["MARATHON_APP_ID=".Length..] ?? "";
            var task = vars.FirstOrDefault(v => v.StartsWith("MESOS_TASK_ID=", StringComparison.Ordinal))?["MESOS_TASK_ID=".Length..] ?? "";
            yield return (pid, app, task);
        }
    }

    /// <summary>The agent's OCI bundles: one directory per container, named by its container id.</summary>
    public string BundlesDir => Path.Combine(DataDir, Verb == "dev" ? "agent" : "", "oci-bundles");

    /// <summary>A process in a container of this server's agent (its cgroup names one of the agent's bundles).</summary>
    private bool InOwnContainer(string procDir)
    {
        if (!Directory.Exists(BundlesDir))
        {
            return false;
        }
        try
        {
            var cgroup = File.ReadAllText(Path.Combine(procDir, "cgroup"));
            return Directory.EnumerateDirectories(BundlesDir).Any(b => cgroup.Contains("/harrier/" + Path.GetFileName(b) + "/", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The tasks' cgroups: the agent removes each when it sees its task end, which may be just after the processes
        // are gone and just before this harness kills the server; whatever it did not get to is removed below.
        var seen = TaskProcesses().Select(t => t.TaskId).ToHashSet();
        try
        {
            if (Pid is not null)
            {
                var apps = (await GetJsonAsync("/v2/apps"))["apps"]!.AsArray();
                foreach (var app in apps)
                {
                    await Http.DeleteAsync($"/v2/apps{app!["id"]}?force=true");
                }
                await Eventually.TrueAsync(() => !TaskProcesses().Any(), TimeSpan.FromSeconds(30), "task processes to exit");
                await Eventually.TrueAsync(() => !CgroupDirs(seen).Any(), TimeSpan.FromSeconds(5), "the agent to remove the tasks' cgroups");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or TaskCanceledException)
        {
            // Fall through to the hard cleanup below.
        }
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            await p.WaitForExitAsync();
        }
        var leftovers = TaskProcesses().ToList();
        foreach (var (pid, _, _) in leftovers)
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Already gone.
            }
        }
        await ContainerCleanup.RemoveAsync(DataDir);
        await RemoveCgroupsAsync(seen.Concat(leftovers.Select(t => t.TaskId)).Distinct());
        Http.Dispose();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A cgroup-held or busy file; the temp dir is unique and harmless.
        }
    }

    /// <summary>The agent removes a task's cgroups when it sees the task end; tasks killed behind its back leave them.</summary>
    internal static async Task RemoveCgroupsAsync(IEnumerable<string> taskIds)
    {
        var dirs = CgroupDirs(taskIds).ToList();
        for (var attempt = 0; attempt < 50 && dirs.Count > 0; attempt++)
        {
            dirs.RemoveAll(dir =>
            {
                try
                {
                    Directory.Delete(dir);
                    return true;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return false;
                }
            });
            await Task.Delay(20);
        }
    }

    internal static IEnumerable<string> CgroupDirs(IEnumerable<string> taskIds) =>
        taskIds.Where(t => t.Length > 0)
            .SelectMany(t => Directory.Exists("/sys/fs/cgroup") ? Directory.EnumerateDirectories("/sys/fs/cgroup").Select(c => Path.Combine(c, "harrier", t)) : [])
            .Where(Directory.Exists);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
