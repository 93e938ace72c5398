using System.Diagnostics;
using System.Text;
using Harrier.Testing;
using Xunit;

namespace Harrier.E2E.Tests;

/// <summary>
/// <c>harrier agent --server URL</c> as its own process, with its work dir inside the server's data dir so the
/// server harness finds (and cleans up) its tasks. Disposing kills the agent process; the tasks are the server
/// harness's to stop.
/// </summary>
public sealed class HarrierAgentProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public HarrierAgentProcess(HarrierDev server, string name, params string[] extraArgs)
    {
        ArgumentNullException.ThrowIfNull(server);
        Server = server;
        WorkDir = Path.Combine(server.DataDir, "agent-" + name);
        ExtraArgs = extraArgs;
    }

    public HarrierDev Server { get; }
    public string WorkDir { get; }
    public string[] ExtraArgs { get; }

    /// <summary>A command the agent runs under, e.g. <c>ip netns exec NS</c>.</summary>
    public string[] Prefix { get; init; } = [];
    public string Output { get { lock (_output) { return _output.ToString(); } } }

    public async Task StartAsync(int expectedAgents)
    {
        var process = CapturedProcess.Start([.. Prefix, HarrierDev.Binary, "agent", "--server", Server.Url.AbsoluteUri, "--work-dir", WorkDir, .. ExtraArgs], _output);
        _process = process;
        await Eventually.TrueAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("harrier agent exited: " + Output);
            }
            var agents = (await Server.GetJsonAsync("/v2/agents"))["agents"]!.AsArray();
            return agents.Count(a => a!["connected"]!.GetValue<bool>()) >= expectedAgents;
        }, TimeSpan.FromSeconds(60), "the agent to register");
    }

    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>SIGSTOP (true) or SIGCONT (false) the agent: a stopped agent is silent without closing its connections.</summary>
    public async Task PauseAsync(bool stop)
    {
        var pid = Pid ?? throw new InvalidOperationException("the agent is not running");
        using var kill = System.Diagnostics.Process.Start("kill", [stop ? "-STOP" : "-CONT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>SIGKILL the agent (its tasks, in their own sessions, survive).</summary>
    public async Task KillHardAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: false);
            await p.WaitForExitAsync();
        }
    }

    /// <summary>Removes the server's apps while this agent can still stop their tasks, then kills the agent.</summary>
    public async ValueTask DisposeAsync()
    {
        var mine = Server.TaskProcesses().Where(t => OwnsSandboxOf(t.Pid)).Select(t => t.TaskId).ToHashSet();
        if (_process is { HasExited: false } && Server.Pid is not null)
        {
            try
            {
                foreach (var app in (await Server.GetJsonAsync("/v2/apps"))["apps"]!.AsArray())
                {
                    await Server.Http.DeleteAsync($"/v2/apps{app!["id"]}?force=true");
                }
                await Eventually.TrueAsync(() => !Server.TaskProcesses().Any(t => t.TaskId.Length > 0 && OwnsSandboxOf(t.Pid)), TimeSpan.FromSeconds(30), "this agent's tasks to exit");
                await Eventually.TrueAsync(() => !HarrierDev.CgroupDirs(mine).Any(), TimeSpan.FromSeconds(5), "this agent to remove its tasks' cgroups");
            }
            catch (Exception e) when (e is HttpRequestException or TimeoutException or TaskCanceledException)
            {
                // The server harness kills what is left.
            }
        }
        await KillHardAsync();
        _process?.Dispose();
        await HarrierDev.RemoveCgroupsAsync(mine);
    }

    public bool OwnsSandboxOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Contains("MESOS_SANDBOX=" + WorkDir, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
