using Harrier.Linux;
using Microsoft.Extensions.Logging;

namespace Harrier.Drivers;

/// <summary>
/// Runs tasks as plain processes: each under a <c>/bin/sh</c> launcher (<see cref="TaskLauncherScript"/>) spawned
/// with posix_spawn in a new session, with stdout/stderr appended to sandbox files and, when root, a cgroup with the
/// task's cpu and memory limits. One loop polls every watched task for exit (waitpid for our own children, /proc
/// for tasks recovered from a previous agent process). Disposing the driver stops watching but never kills tasks:
/// they must outlive the agent.
/// </summary>
public sealed partial class ProcessDriver : ITaskDriver, IAsyncDisposable
{
    private readonly ProcessDriverOptions _options;
    private readonly ILogger _logger;
    private readonly Lazy<CgroupHierarchy?> _cgroups;
    private readonly ExitPoller _poller;

    public ProcessDriver(ProcessDriverOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _cgroups = new Lazy<CgroupHierarchy?>(DetectCgroups);
        _poller = new ExitPoller(options.PollInterval, logger);
    }

    public string Name => "process";

    /// <summary>The cgroup hierarchy in use, or null when tasks run without cgroups.</summary>
    public CgroupHierarchy? Cgroups => _cgroups.Value;

    public Task<IDriverTask> StartAsync(DriverTaskSpec spec, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(spec.SandboxDirectory);
        Directory.CreateDirectory(spec.StateDirectory);
        var taskArgv = TaskArgv(spec);
        var exitFile = ExitFile(spec);
        File.Delete(exitFile);

        TaskCgroup? cgroup = null;
        if (Cgroups is { } hierarchy)
        {
            cgroup = TaskCgroup.Create(hierarchy, CgroupName(spec.TaskId), TaskLimits.From(spec));
        }
        int pid;
        try
        {
            pid = ProcessControl.Spawn(new SpawnRequest(
                TaskLauncherScript.Argv(exitFile, cgroup?.ProcsFiles ?? [], taskArgv),
                spec.Environment,
                spec.SandboxDirectory,
                spec.StdoutPath,
                spec.StderrPath));
        }
        catch (IOException e)
        {
            _ = cgroup?.DestroyAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
            throw new DriverLaunchException("Failed to launch the task: " + e.Message, e);
        }
        var startTime = ProcessControl.StartTimeOf(pid) ?? 0;
        var task = new ProcessDriverTask(new DriverHandle(pid, startTime, cgroup?.Name), exitFile, cgroup, spec, ownChild: true);
        LogStarted(pid, spec.TaskId);
        _poller.Watch(task);
        return Task.FromResult<IDriverTask>(task);
    }

    public Task<IDriverTask> RecoverAsync(DriverTaskSpec spec, DriverHandle handle, CancellationToken cancellationToken)
    {
        var cgroup = handle.Cgroup is { } name && Cgroups is { } hierarchy ? TaskCgroup.Open(hierarchy, name) : null;
        var task = new ProcessDriverTask(handle, ExitFile(spec), cgroup, spec, ownChild: false);
        LogRecovered(handle.Pid, spec.TaskId, ProcessControl.IsAlive(handle.Pid, handle.StartTime));
        _poller.Watch(task);
        return Task.FromResult<IDriverTask>(task);
    }

    public ValueTask DisposeAsync() => _poller.DisposeAsync();

    private static List<string> TaskArgv(DriverTaskSpec spec)
    {
        var argv = new List<string>();
        if (spec.NetworkNamespace is { } ns)
        {
            // Joined before the user switch: entering a namespace needs the agent's privileges, which the task never gets.
            argv.AddRange(["/usr/bin/nsenter", "--net=" + ns, "--"]);
        }
        if (spec.User is { } userName)
        {
            var user = UnixUser.Find(userName) ?? throw new DriverLaunchException($"Failed to launch the task: user '{userName}' does not exist");
            if (UnixUser.IsRoot)
            {
                argv.AddRange(SwitchTo(user));
                user.Own(spec.SandboxDirectory);
            }
            else if (user.Name != Environment.UserName)
            {
                throw new DriverLaunchException($"Failed to launch the task: the agent is not root and cannot run it as user '{userName}'");
            }
        }
        if (spec.Shell is { } shell)
        {
            argv.AddRange(["/bin/sh", "-c", shell]);
        }
        else if (spec.Argv.Count > 0)
        {
            argv.AddRange(spec.Argv);
        }
        else
        {
            throw new DriverLaunchException("Failed to launch the task: neither a command nor arguments were given");
        }
        return argv;
    }

    private static IReadOnlyList<string> SwitchTo(UnixUser user)
    {
        try
        {
            return UserSwitch.Prefix(user);
        }
        catch (InvalidOperationException e)
        {
            throw new DriverLaunchException("Failed to launch the task: " + e.Message, e);
        }
    }

    private static string ExitFile(DriverTaskSpec spec) => Path.Combine(spec.StateDirectory, "exit-status");

    private static string CgroupName(string taskId) => taskId.Replace('/', '_');

    private CgroupHierarchy? DetectCgroups()
    {
        if (!_options.UseCgroups)
        {
            return null;
        }
        var hierarchy = CgroupHierarchy.Detect(_options.CgroupParent, out var reason);
        if (hierarchy is null)
        {
            LogNoCgroups(reason ?? "unknown");
        }
        return hierarchy;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Tasks run without cgroup limits: {Reason}")]
    private partial void LogNoCgroups(string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "Started pid {Pid} for task {TaskId}")]
    private partial void LogStarted(int pid, string taskId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Recovered pid {Pid} for task {TaskId} (alive: {Alive})")]
    private partial void LogRecovered(int pid, string taskId, bool alive);
}
