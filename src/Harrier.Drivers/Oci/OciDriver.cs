using Harrier.Linux;
using Microsoft.Extensions.Logging;

namespace Harrier.Drivers.Oci;

/// <summary>
/// Runs container tasks with an OCI runtime (crun or runc). Per task: an overlayfs root filesystem from the image's
/// layers, a generated <c>config.json</c> (<see cref="OciSpecGenerator"/>), a task cgroup with the cpu and memory
/// limits whose child the container runs in, and a <see cref="TaskLauncherScript"/> launcher in its own session
/// that runs <c>RUNTIME run</c> in the foreground and records the exit status, so a container outlives an agent
/// crash and its status is kept while the agent is down. One loop polls launchers for exit; the finish collects the
/// status and an OOM kill, then removes the runtime's state, the cgroups and the bundle. Disposing the driver stops
/// watching and never kills containers.
/// </summary>
public sealed partial class OciDriver : ITaskDriver, IAsyncDisposable
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private readonly OciDriverOptions _options;
    private readonly ILogger _logger;
    private readonly ExitPoller _poller;
    private readonly Lazy<CgroupHierarchy> _cgroups;
    private readonly Lazy<OciRuntime> _runtime;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _live = new(StringComparer.Ordinal);

    public OciDriver(OciDriverOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _poller = new ExitPoller(options.PollInterval, logger);
        _cgroups = new Lazy<CgroupHierarchy>(PrepareHost);
        _runtime = new Lazy<OciRuntime>(() => new OciRuntime(
            OciRuntime.Find(options.Runtime) ?? throw new DriverLaunchException($"Failed to launch the task: the OCI runtime '{options.Runtime}' is not installed"),
            options.RuntimeRoot));
    }

    public string Name => "oci";

    /// <summary>The container id of a task: its id with anything a runtime refuses replaced by <c>_</c> (also its cgroup's name).</summary>
    public static string ContainerIdOf(string taskId) =>
        string.Create(taskId.Length, taskId, (span, id) =>
        {
            for (var i = 0; i < id.Length; i++)
            {
                span[i] = char.IsAsciiLetterOrDigit(id[i]) || id[i] is '_' or '.' or '-' ? id[i] : '_';
            }
        });

    /// <summary>Whether this agent can run containers: root, the runtime installed, overlayfs and cgroups usable.</summary>
    public bool IsAvailable(out string reason)
    {
        string? why = null;
        if (!UnixUser.IsRoot)
        {
            why = "the agent is not running as root";
        }
        else if (OciRuntime.Find(_options.Runtime) is null)
        {
            why = $"the OCI runtime '{_options.Runtime}' is not installed";
        }
        else if (!Directory.Exists("/sys/module/overlay") && !File.ReadAllText("/proc/filesystems").Contains("\toverlay\n", StringComparison.Ordinal))
        {
            why = "the kernel has no overlay file system";
        }
        else if (CgroupHierarchy.Detect(_options.CgroupParent, out var cgroupReason) is null)
        {
            why = cgroupReason ?? "no usable cgroups";
        }
        reason = why ?? "";
        return why is null;
    }

    public async Task<IDriverTask> StartAsync(DriverTaskSpec spec, CancellationToken cancellationToken)
    {
        var container = spec.Container ?? throw new DriverLaunchException("Failed to launch the task: the OCI driver runs only tasks with a container image");
        var hierarchy = _cgroups.Value;
        var runtime = _runtime.Value;
        Directory.CreateDirectory(spec.SandboxDirectory);
        Directory.CreateDirectory(spec.StateDirectory);
        var id = ContainerIdOf(spec.TaskId);
        var exitFile = ExitFile(spec);
        File.Delete(exitFile);
        var bundle = new OciBundle(_options.BundlesDir, id);
        var cgroupPath = $"{_options.CgroupParent}/{id}";
        if (runtime.HasState(id))
        {
            await runtime.DeleteAsync(id, cancellationToken);
        }
        bundle.Remove();

        var layers = container.Image.LayerDirectories;
        var accounts = ContainerAccounts.Parse(LayerFiles.ReadText(layers, "/etc/passwd"), LayerFiles.ReadText(layers, "/etc/group"));
        var context = new OciSpecContext(bundle.Rootfs, $"/{cgroupPath}/ctr", HostName(), accounts, _options.DefaultPidsLimit, bundle.EtcFiles);
        var oci = OciSpecGenerator.Generate(spec, container, context);

        var cgroup = TaskCgroup.Create(hierarchy, id, TaskLimits.From(spec));
        int pid;
        try
        {
            bundle.MountRootfs(layers);
            bundle.WriteEtcFiles(oci.Hostname, container.NetworkNamespace is null, container.Nameservers);
            bundle.WriteConfig(oci.Config);
            if (oci.User.Uid != 0)
            {
                new UnixUser(id, oci.User.Uid, oci.User.Gid, "/").Own(spec.SandboxDirectory);
            }
            pid = ProcessControl.Spawn(new SpawnRequest(
                TaskLauncherScript.Argv(exitFile, [], runtime.RunArgv(bundle.Directory, bundle.PidFile, id)),
                new Dictionary<string, string> { ["PATH"] = DefaultPath },
                bundle.Directory,
                spec.StdoutPath,
                spec.StderrPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await ReleaseAsync(bundle, cgroupPath);
            throw new DriverLaunchException("Failed to launch the task: " + e.Message, e);
        }
        var handle = new DriverHandle(pid, ProcessControl.StartTimeOf(pid) ?? 0, cgroup.Name, Name, id);
        LogStarted(id, pid, spec.TaskId);
        var task = Watch(new OciDriverTask(handle, ownChild: true, exitFile, bundle, runtime, cgroup, cgroupPath));
        await WaitForContainerAsync(task, bundle, cancellationToken);
        return task;
    }

    /// <summary>
    /// Returns once the runtime has created the container (its init pid file exists) or the launcher has already
    /// ended, so TASK_RUNNING means the container exists, as a Mesos executor reports it. Bounded: a runtime that
    /// takes longer than <see cref="ContainerCreateWait"/> leaves the task running and watched. A start aborted
    /// meanwhile (a kill before RUNNING) kills what was launched, so nothing outlives the abort.
    /// </summary>
    private static async Task WaitForContainerAsync(IDriverTask task, OciBundle bundle, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var poll = TimeSpan.FromMilliseconds(2);
        try
        {
            while (!File.Exists(bundle.PidFile) && !task.Exited.IsCompleted && System.Diagnostics.Stopwatch.GetElapsedTime(started) < ContainerCreateWait)
            {
                await Task.Delay(poll, cancellationToken);
                poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, TimeSpan.FromMilliseconds(20).Ticks));
            }
        }
        catch (OperationCanceledException)
        {
            await task.KillAsync(TimeSpan.Zero, CancellationToken.None);
            throw;
        }
    }

    private static readonly TimeSpan ContainerCreateWait = TimeSpan.FromSeconds(30);

    public Task<IDriverTask> RecoverAsync(DriverTaskSpec spec, DriverHandle handle, CancellationToken cancellationToken)
    {
        var hierarchy = _cgroups.Value;
        var id = handle.State ?? ContainerIdOf(spec.TaskId);
        var cgroup = TaskCgroup.Open(hierarchy, handle.Cgroup ?? id);
        var task = new OciDriverTask(handle with { State = id }, ownChild: false, ExitFile(spec), new OciBundle(_options.BundlesDir, id), _runtime.Value, cgroup, $"{_options.CgroupParent}/{id}");
        LogRecovered(id, handle.Pid, spec.TaskId, ProcessControl.IsAlive(handle.Pid, handle.StartTime));
        return Task.FromResult<IDriverTask>(Watch(task));
    }

    /// <summary>
    /// Removes containers no checkpointed task knows (left by an agent that crashed between starting a container and
    /// checkpointing it): kills and deletes them, unmounts and deletes their bundles and removes their cgroups.
    /// Containers this driver instance started or recovered are never touched. Returns the ids it removed.
    /// </summary>
    public async Task<IReadOnlyList<string>> CleanupAsync(IReadOnlySet<string> knownContainerIds, CancellationToken cancellationToken = default)
    {
        _ = _cgroups.Value;
        var runtime = _runtime.Value;
        var ids = new SortedSet<string>(await runtime.ListAsync(cancellationToken), StringComparer.Ordinal);
        if (Directory.Exists(_options.BundlesDir))
        {
            ids.UnionWith(Directory.EnumerateDirectories(_options.BundlesDir).Select(d => Path.GetFileName(d)));
        }
        var removed = new List<string>();
        foreach (var id in ids)
        {
            lock (_gate)
            {
                if (knownContainerIds.Contains(id) || _live.Contains(id))
                {
                    continue;
                }
            }
            LogOrphan(id);
            if (runtime.HasState(id))
            {
                await runtime.KillAllAsync(id, cancellationToken);
                await runtime.DeleteAsync(id, cancellationToken);
            }
            await ReleaseAsync(new OciBundle(_options.BundlesDir, id), $"{_options.CgroupParent}/{id}");
            removed.Add(id);
        }
        return removed;
    }

    public ValueTask DisposeAsync() => _poller.DisposeAsync();

    private OciDriverTask Watch(OciDriverTask task)
    {
        lock (_gate)
        {
            _live.Add(task.ContainerId);
        }
        _ = task.Exited.ContinueWith(_ => { lock (_gate) { _live.Remove(task.ContainerId); } }, TaskScheduler.Default);
        _poller.Watch(task);
        return task;
    }

    private async Task ReleaseAsync(OciBundle bundle, string cgroupPath)
    {
        try
        {
            bundle.Remove();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogReleaseFailed(bundle.Directory, e.Message);
        }
        if (!await CgroupTree.DestroyAsync(cgroupPath, TimeSpan.FromSeconds(5)))
        {
            LogReleaseFailed(cgroupPath, "processes remained");
        }
    }

    /// <summary>
    /// Once per driver: the cgroup hierarchy, the runtime's directories, and on cgroup v1 the hugetlb hierarchy,
    /// without which crun refuses the "hybrid" layout (v1 controllers plus an empty cgroup2 mount).
    /// </summary>
    private CgroupHierarchy PrepareHost()
    {
        var hierarchy = CgroupHierarchy.Detect(_options.CgroupParent, out var reason)
            ?? throw new DriverLaunchException("Failed to launch the task: the OCI driver needs cgroups: " + reason);
        if (!hierarchy.IsV2)
        {
            try
            {
                if (CgroupTree.EnsureV1Hierarchy("hugetlb"))
                {
                    LogMountedHugetlb();
                }
            }
            catch (IOException e)
            {
                LogHugetlbFailed(e.Message);
            }
        }
        Directory.CreateDirectory(_options.RuntimeRoot);
        Directory.CreateDirectory(_options.BundlesDir);
        return hierarchy;
    }

    private static string HostName()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/hostname").Trim();
        }
        catch (IOException)
        {
            return Environment.MachineName;
        }
    }

    private static string ExitFile(DriverTaskSpec spec) => Path.Combine(spec.StateDirectory, "exit-status");

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Started container {ContainerId} (launcher pid {Pid}) for task {TaskId}")]
    private partial void LogStarted(string containerId, int pid, string taskId);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Recovered container {ContainerId} (launcher pid {Pid}) for task {TaskId} (alive: {Alive})")]
    private partial void LogRecovered(string containerId, int pid, string taskId, bool alive);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Mounted the cgroup v1 hugetlb hierarchy at /sys/fs/cgroup/hugetlb: crun refuses cgroup hybrid mode without it")]
    private partial void LogMountedHugetlb();

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Could not mount the cgroup v1 hugetlb hierarchy (crun may refuse to run containers): {Reason}")]
    private partial void LogHugetlbFailed(string reason);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "Removing orphaned container {ContainerId}: no checkpointed task knows it")]
    private partial void LogOrphan(string containerId);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Warning, Message = "Could not release {What}: {Reason}")]
    private partial void LogReleaseFailed(string what, string reason);
}
