using System.Text.Json;
using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Instances;
using Harrier.Core.Resources;
using Harrier.Core.Time;
using Harrier.Drivers;
using Harrier.Linux;
using Harrier.Protocol;
using Harrier.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harrier.Agent.Tests;

/// <summary>
/// A work dir, a fake gateway and helpers to start (and "crash") agents on it. Disposing kills, by pid, every task
/// the checkpoint still knows and removes the test's cgroup parent and work dir.
/// </summary>
internal sealed class AgentTestHarness : IAsyncDisposable
{
    private readonly List<HarrierAgent> _agents = [];
    private readonly HashSet<int> _pids = [];

    public AgentTestHarness()
    {
        WorkDir = Path.Combine(Path.GetTempPath(), "harrier-agent-" + Guid.NewGuid().ToString("N")[..12]);
        CgroupParent = "harrier-test-" + Guid.NewGuid().ToString("N")[..10];
    }

    public string WorkDir { get; }

    public string CgroupParent { get; }

    public FakeAgentGateway Gateway { get; } = new();

    public AgentOptions Options() => new()
    {
        WorkDir = WorkDir,
        Hostname = "agent-test",
        Cpus = 2,
        Mem = 1024,
        Disk = 1000,
        CgroupParent = CgroupParent,
        HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        StatusUpdateRetryInterval = TimeSpan.FromMilliseconds(300),
    };

    public async Task<HarrierAgent> StartAsync(AgentOptions? options = null, ITaskDriver? driver = null)
    {
        var agent = new HarrierAgent(options ?? Options(), Gateway, NullLogger<HarrierAgent>.Instance, TimeProvider.System, driver, null);
        _agents.Add(agent);
        await agent.StartAsync(CancellationToken.None);
        return agent;
    }

    /// <summary>Stops an agent the way a crash would look to its tasks: they keep running.</summary>
    public async Task CrashAsync(HarrierAgent agent)
    {
        RememberPids();
        await agent.StopAsync(CancellationToken.None);
        agent.Dispose();
        _agents.Remove(agent);
    }

    public static TaskLaunch Launch(string? shell = null, string[]? argv = null, double mem = 64, IEnumerable<FetchUri>? fetch = null, int grace = 3)
    {
        var app = PathId.Parse("/test/app");
        var instance = InstanceId.For(app, Guid.NewGuid());
        return new TaskLaunch
        {
            TaskId = instance.TaskFor(1),
            InstanceId = instance,
            AppId = app,
            AppVersion = new Timestamp(1_700_000_000_000),
            Shell = shell,
            Argv = argv ?? [],
            Environment = new ValueMap<string>([new("MARATHON_APP_ID", "/test/app")]),
            Resources = new ResourceVector(0.1, mem, 0),
            Fetch = fetch is null ? ValueList<FetchUri>.Empty : new ValueList<FetchUri>(fetch),
            KillGracePeriodSeconds = grace,
        };
    }

    public Task<TaskStatusUpdate> WaitForStateAsync(TaskId taskId, TaskState state, double seconds = 20) =>
        Eventually.WaitAsync(() => Task.FromResult(Gateway.UpdatesFor(taskId).FirstOrDefault(u => u.State == state)), TimeSpan.FromSeconds(seconds), $"{taskId} to reach {state}");

    /// <summary>The launcher pid the checkpoint recorded for a task.</summary>
    public int? PidOf(TaskId taskId)
    {
        var file = Path.Combine(WorkDir, "tasks", taskId.Value, "task.json");
        if (!File.Exists(file))
        {
            return null;
        }
        using var doc = JsonDocument.Parse(File.ReadAllBytes(file));
        return doc.RootElement.TryGetProperty("Handle", out var h) ? h.GetProperty("Pid").GetInt32() : null;
    }

    public async ValueTask DisposeAsync()
    {
        RememberPids();
        foreach (var agent in _agents)
        {
            await agent.StopAsync(CancellationToken.None);
            agent.Dispose();
        }
        foreach (var pid in _pids)
        {
            ProcessControl.SignalGroup(pid, ProcessControl.SigKill);
            ProcessControl.TryReap(pid);
        }
        if (CgroupHierarchy.Detect(CgroupParent, out _) is { } hierarchy)
        {
            foreach (var dir in new[] { "cpu", "memory" }.Select(c => Path.Combine("/sys/fs/cgroup", c, CgroupParent)).Where(Directory.Exists))
            {
                foreach (var child in Directory.EnumerateDirectories(dir))
                {
                    await TaskCgroup.Open(hierarchy, Path.GetFileName(child)).DestroyAsync(TimeSpan.FromSeconds(5));
                }
            }
            hierarchy.RemoveParentIfEmpty();
        }
        try
        {
            Directory.Delete(WorkDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void RememberPids()
    {
        var tasks = Path.Combine(WorkDir, "tasks");
        if (!Directory.Exists(tasks))
        {
            return;
        }
        foreach (var dir in Directory.EnumerateDirectories(tasks))
        {
            if (PidOf(new TaskId(Path.GetFileName(dir))) is { } pid)
            {
                _pids.Add(pid);
            }
        }
    }
}
