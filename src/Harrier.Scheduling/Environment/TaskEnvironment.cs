using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Harrier.Core.Apps;
using Harrier.Core.Ids;

namespace Harrier.Scheduling;

/// <summary>
/// The environment of an app task (spec §6.4, <c>TaskBuilder</c>/<c>EnvironmentHelper</c>), without what the agent adds
/// (<c>MESOS_SANDBOX</c> …). Merge order: context variables, port variables and HOST (prefixed by
/// <c>--env_vars_prefix</c>), then the user's plain env entries, which win over everything.
/// </summary>
public static partial class TaskEnvironment
{
    private const int MaxLabelKeyLength = 494;
    private const int MaxLabelValueLength = 512;

    /// <param name="hostPorts">The allocated host ports, in declaration order, one per entry that requested one.</param>
    /// <param name="random">Generates env-only ports for container-network mappings with containerPort 0.</param>
    /// <param name="enforceGroupRole">Whether the app's top-level group enforces its role.</param>
    public static IReadOnlyDictionary<string, string> Build(
        AppSpec app,
        TaskId taskId,
        string host,
        IReadOnlyList<int> hostPorts,
        string? envVarsPrefix = null,
        Random? random = null,
        bool enforceGroupRole = false)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(hostPorts);
        var part = AppParts.GetValue(app, AppPart.Of);
        var env = new Dictionary<string, string>(part.Context.Length + part.Labels.Length + 8 + app.Env.Count, StringComparer.Ordinal)
        {
            ["MESOS_TASK_ID"] = taskId.Value,
        };
        foreach (var (key, value) in part.Context)
        {
            env[key] = value;
        }
        env["MARATHON_APP_ENFORCE_GROUP_ROLE"] = enforceGroupRole ? "TRUE" : "FALSE";
        foreach (var (key, value) in part.Labels)
        {
            env[key] = value;
        }

        var prefix = envVarsPrefix ?? "";
        AddPorts(env, part.Ports, taskId, hostPorts, prefix, random);
        env[prefix + "HOST"] = host;

        foreach (var (key, value) in app.Env)
        {
            if (!value.IsSecret && value.Value is not null)
            {
                env[key] = value.Value;
            }
        }
        return env;
    }

    /// <summary>What every task of one app version shares, computed once per app definition (a launch pass builds
    /// thousands of environments of the same app).</summary>
    private static readonly ConditionalWeakTable<AppSpec, AppPart> AppParts = new();

    private sealed record AppPart((string Key, string Value)[] Context, (string Key, string Value)[] Labels, (int Requested, string? Name, bool HasHostPort)[] Ports)
    {
        public static AppPart Of(AppSpec app)
        {
            var context = new List<(string, string)>
            {
                ("MARATHON_APP_ID", app.Id.Value),
                ("MARATHON_APP_VERSION", app.Version.ToString()),
            };
            if (app.Container is { Type: ContainerType.Docker, Docker.Image: { } image })
            {
                context.Add(("MARATHON_APP_DOCKER_IMAGE", image));
            }
            context.Add(("MARATHON_APP_RESOURCE_CPUS", JavaDouble.Format(app.Cpus)));
            context.Add(("MARATHON_APP_RESOURCE_MEM", JavaDouble.Format(app.Mem)));
            context.Add(("MARATHON_APP_RESOURCE_DISK", JavaDouble.Format(app.Disk)));
            context.Add(("MARATHON_APP_RESOURCE_GPUS", app.Gpus.ToString(CultureInfo.InvariantCulture)));
            var labels = new List<(string, string)>();
            var labelKeys = new List<string>();
            foreach (var (key, value) in app.Labels)
            {
                if (key.Length < MaxLabelKeyLength && value.Length < MaxLabelValueLength)
                {
                    var name = Sanitize(key);
                    labelKeys.Add(name);
                    labels.Add(("MARATHON_APP_LABEL_" + name, value));
                }
            }
            labels.Add(("MARATHON_APP_LABELS", string.Join(' ', labelKeys)));
            return new AppPart([.. context], [.. labels], [.. PortEntries(app)]);
        }
    }

    private static void AddPorts(
        Dictionary<string, string> env, (int Requested, string? Name, bool HasHostPort)[] entries, TaskId taskId, IReadOnlyList<int> hostPorts, string prefix, Random? random)
    {
        if (entries.Length == 0)
        {
            return;
        }
        var used = new HashSet<int>(hostPorts);
        var nextHostPort = 0;
        var effective = new int[entries.Length];
        var generated = new List<int>();
        for (var i = 0; i < entries.Length; i++)
        {
            var (requested, _, hasHostPort) = entries[i];
            if (hasHostPort)
            {
                effective[i] = nextHostPort < hostPorts.Count ? hostPorts[nextHostPort++] : requested;
            }
            else if (requested != 0)
            {
                effective[i] = requested;
            }
            else
            {
                // Marathon invents a port for the environment only; it is not allocated anywhere.
                random ??= new Random(StableSeed(taskId.Value));
                int port;
                do
                {
                    port = random.Next(1025, 65536);
                }
                while (!used.Add(port));
                generated.Add(port);
                effective[i] = port;
            }
        }

        for (var i = 0; i < entries.Length; i++)
        {
            var (requested, name, _) = entries[i];
            var value = effective[i].ToString(CultureInfo.InvariantCulture);
            env[prefix + "PORT" + i.ToString(CultureInfo.InvariantCulture)] = value;
            env[prefix + "PORT_" + (requested != 0 ? requested : effective[i]).ToString(CultureInfo.InvariantCulture)] = value;
            if (!string.IsNullOrEmpty(name))
            {
                env[prefix + "PORT_" + name.ToUpperInvariant()] = value;
            }
        }
        env[prefix + "PORT"] = effective[0].ToString(CultureInfo.InvariantCulture);
        env[prefix + "PORTS"] = string.Join(',', hostPorts.Concat(generated).Select(p => p.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Per declared port: the requested port (portDefinition port or containerPort), its name, and whether it has a host port.</summary>
    private static List<(int Requested, string? Name, bool HasHostPort)> PortEntries(AppSpec app)
    {
        if (app.IsHostNetworking)
        {
            return [.. app.PortDefinitions.Select(p => (p.Port, p.Name, true))];
        }
        var bridge = app.NetworkMode == NetworkMode.ContainerBridge;
        return [.. (app.Container?.PortMappings ?? default).Select(m => (m.ContainerPort, m.Name, bridge || m.HostPort is not null))];
    }

    private static string Sanitize(string key) => NonVariableRun().Replace(key, "_").ToUpperInvariant();

    private static int StableSeed(string text)
    {
        // FNV-1a: string.GetHashCode is randomized per process, and the generated ports should be reproducible.
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }
        return (int)(hash & 0x7FFFFFFF);
    }

    [GeneratedRegex("[^a-zA-Z0-9_]+")]
    private static partial Regex NonVariableRun();
}
