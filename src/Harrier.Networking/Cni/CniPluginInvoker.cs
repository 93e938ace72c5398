namespace Harrier.Networking.Cni;

/// <summary>
/// Runs one CNI plugin executable the way the spec says: the command and the container's details in the environment
/// (<c>CNI_COMMAND</c>, <c>CNI_CONTAINERID</c>, <c>CNI_NETNS</c>, <c>CNI_IFNAME</c>, <c>CNI_PATH</c>, <c>CNI_ARGS</c>,
/// plus a fixed <c>PATH</c> for the tools plugins call, such as iptables), the configuration on stdin, the result on
/// stdout. It runs in the host namespace Harrier works in (the agent's own, or a test's), within a time limit, its
/// output capped (<see cref="HostCommand"/>): a hanging or chattering plugin cannot hold or grow the agent.
/// </summary>
public sealed class CniPluginInvoker(HostNamespace host, IReadOnlyList<string> pluginDirs, TimeSpan? timeout = null)
{
    public const string SearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(30);

    public HostNamespace Host { get; } = host;

    public IReadOnlyList<string> PluginDirs { get; } = pluginDirs;

    public TimeSpan Timeout { get; } = timeout ?? DefaultTimeout;

    public Task<(int ExitCode, string Stdout, string Stderr)> InvokeAsync(
        string pluginPath, string command, CniRuntimeArgs args, string stdin, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = args.ContainerId,
            ["CNI_NETNS"] = args.NetnsPath,
            ["CNI_IFNAME"] = args.IfName,
            ["CNI_PATH"] = string.Join(':', PluginDirs),
            ["CNI_ARGS"] = "IgnoreUnknown=1",
            ["PATH"] = SearchPath,
        };
        return Host.Name is { } ns
            ? HostCommand.TryRunAsync("ip", ["netns", "exec", ns, pluginPath], stdin, environment, Timeout, cancellationToken)
            : HostCommand.TryRunAsync(pluginPath, [], stdin, environment, Timeout, cancellationToken);
    }
}
