using System.Text.Json.Nodes;
using Harrier.Drivers.Images;

namespace Harrier.Drivers.Oci;

/// <summary>
/// Builds a container's OCI runtime spec (<c>config.json</c>) from the task, its image and the driver's context:
/// a pure function. The rules follow Marathon/Mesos and Docker: see the README of this folder's driver and each
/// method. Throws <see cref="DriverLaunchException"/> for what the task cannot run with.
/// </summary>
internal static class OciSpecGenerator
{
    public const string SandboxPath = "/mnt/mesos/sandbox";
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Docker's default masked paths (read as empty / unreadable in the container).</summary>
    public static readonly IReadOnlyList<string> MaskedPaths =
    [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
    ];

    public static readonly IReadOnlyList<string> ReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    /// <summary>
    /// The working directory, as Mesos' universal containerizer chose it: the <c>workdir</c> parameter; else, when the
    /// image's own command runs (no <c>cmd</c>), the image's WORKDIR; else the sandbox, so that an app's <c>cmd</c>
    /// finds its fetched files and relative persistent volumes (<c>data/…</c>) where Marathon users expect them.
    /// </summary>
    private static string Cwd(DriverTaskSpec spec, ImageConfig image, OciParameterSet parameters) =>
        parameters.Workdir
        ?? (spec.Shell is null && !string.IsNullOrEmpty(image.WorkingDir) ? "/" + image.WorkingDir.TrimStart('/') : SandboxPath);

    public static OciSpec Generate(DriverTaskSpec spec, ContainerTaskSpec container, OciSpecContext context)
    {
        var parameters = OciParameters.Parse(container.Parameters);
        var image = container.Image.Config;
        // Precedence: docker.parameters user > the app's user > the image's USER.
        var user = context.Accounts.Resolve(parameters.User ?? spec.User ?? image.User);
        var hostname = parameters.Hostname ?? container.Hostname ?? context.HostHostname;
        var caps = Strings(OciCapabilities.Effective(container.Privileged, parameters.CapAdd, parameters.CapDrop));
        var process = new JsonObject
        {
            ["terminal"] = false,
            ["user"] = new JsonObject
            {
                ["uid"] = user.Uid,
                ["gid"] = user.Gid,
                ["additionalGids"] = new JsonArray([.. user.AdditionalGids.Select(g => JsonValue.Create(g))]),
            },
            ["args"] = Strings(Args(spec, image)),
            ["env"] = Strings(Env(spec, image, parameters, user)),
            ["cwd"] = Cwd(spec, image, parameters),
            ["capabilities"] = new JsonObject
            {
                ["bounding"] = caps.DeepClone(),
                ["effective"] = caps.DeepClone(),
                ["permitted"] = caps,
                ["inheritable"] = new JsonArray(),
                ["ambient"] = new JsonArray(),
            },
            ["rlimits"] = new JsonArray([.. parameters.Ulimits.Select(u => new JsonObject { ["type"] = u.Type, ["soft"] = u.Soft, ["hard"] = u.Hard })]),
            ["noNewPrivileges"] = !container.Privileged,
        };
        var linux = new JsonObject
        {
            ["namespaces"] = Namespaces(container),
            ["cgroupsPath"] = context.CgroupsPath,
            ["resources"] = new JsonObject
            {
                // Only the pids limit: cpu and memory limits sit on the task cgroup (the parent), which outlives the
                // runtime's delete, so an OOM kill is still counted there when the driver collects the exit.
                ["pids"] = new JsonObject { ["limit"] = container.PidsLimit ?? context.DefaultPidsLimit },
                ["devices"] = Devices(container.Privileged),
            },
        };
        if (!container.Privileged)
        {
            linux["maskedPaths"] = Strings(MaskedPaths);
            linux["readonlyPaths"] = Strings(ReadonlyPaths);
        }
        var config = new JsonObject
        {
            ["ociVersion"] = "1.0.2",
            ["process"] = process,
            ["root"] = new JsonObject { ["path"] = context.RootfsPath, ["readonly"] = parameters.ReadOnly },
            ["hostname"] = hostname,
            ["mounts"] = OciMounts.Build(spec, container, parameters, context.EtcFiles),
            ["linux"] = linux,
        };
        if (parameters.Labels.Count > 0)
        {
            config["annotations"] = new JsonObject(parameters.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value))));
        }
        return new OciSpec(config, user, hostname);
    }

    /// <summary>
    /// Marathon/Mesos: <c>cmd</c> runs under <c>/bin/sh -c</c> and ignores the image's entrypoint; <c>args</c>
    /// replace the image's Cmd after its Entrypoint; neither runs Entrypoint + Cmd.
    /// </summary>
    public static IReadOnlyList<string> Args(DriverTaskSpec spec, ImageConfig image)
    {
        IReadOnlyList<string> args = spec.Shell is { } shell ? ["/bin/sh", "-c", shell]
            : spec.Argv.Count > 0 ? [.. image.Entrypoint, .. spec.Argv]
            : [.. image.Entrypoint, .. image.Cmd];
        return args.Count > 0 ? args : throw new DriverLaunchException("Failed to launch the task: the image defines no command and the app gives none");
    }

    /// <summary>
    /// The image's Env, overridden by name by the task's environment and then by <c>env</c> parameters;
    /// MESOS_SANDBOX is the sandbox's path inside the container; PATH and HOME get defaults when nobody set them.
    /// </summary>
    public static IReadOnlyList<string> Env(DriverTaskSpec spec, ImageConfig image, OciParameterSet parameters, ContainerUser user)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        void Set(string name, string value)
        {
            if (!env.ContainsKey(name))
            {
                order.Add(name);
            }
            env[name] = value;
        }
        foreach (var entry in image.Env)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                Set(entry[..eq], entry[(eq + 1)..]);
            }
        }
        foreach (var (name, value) in spec.Environment)
        {
            Set(name, value);
        }
        foreach (var (name, value) in parameters.Env)
        {
            Set(name, value);
        }
        Set("MESOS_SANDBOX", SandboxPath);
        if (!env.ContainsKey("PATH"))
        {
            Set("PATH", DefaultPath);
        }
        if (!env.ContainsKey("HOME"))
        {
            Set("HOME", user.Home);
        }
        return [.. order.Select(n => n + "=" + env[n])];
    }

    private static JsonArray Namespaces(ContainerTaskSpec container)
    {
        var namespaces = new JsonArray(
            new JsonObject { ["type"] = "pid" },
            new JsonObject { ["type"] = "ipc" },
            new JsonObject { ["type"] = "uts" },
            new JsonObject { ["type"] = "mount" });
        // No network namespace = the host's network (Marathon's HOST mode); a path joins one the agent prepared.
        if (container.NetworkNamespace is { } path)
        {
            namespaces.Add(new JsonObject { ["type"] = "network", ["path"] = path });
        }
        return namespaces;
    }

    private static JsonArray Devices(bool privileged)
    {
        if (privileged)
        {
            return [new JsonObject { ["allow"] = true, ["access"] = "rwm" }];
        }
        // Docker's default device cgroup: deny all, mknod of any device, and the standard character devices.
        var devices = new JsonArray(
            new JsonObject { ["allow"] = false, ["access"] = "rwm" },
            new JsonObject { ["allow"] = true, ["type"] = "c", ["access"] = "m" },
            new JsonObject { ["allow"] = true, ["type"] = "b", ["access"] = "m" });
        foreach (var (major, minor) in new (long, long?)[] { (1, 3), (1, 5), (1, 7), (1, 8), (1, 9), (5, 0), (5, 1), (5, 2), (136, null) })
        {
            var rule = new JsonObject { ["allow"] = true, ["type"] = "c", ["major"] = major, ["access"] = "rwm" };
            if (minor is { } m)
            {
                rule["minor"] = m;
            }
            devices.Add(rule);
        }
        return devices;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => JsonValue.Create(v))]);
}
