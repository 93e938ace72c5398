using Harrier.Networking.Cni;
using Microsoft.Extensions.Logging;

namespace Harrier.Agent.Launch.Networks;

/// <summary>
/// The agent's CNI networks at start: the configurations of <c>--cni-config-dir</c> (a bad file is logged and
/// skipped, never fatal), and the mode that attaches tasks to them with plugins from <c>--cni-plugin-dir</c>.
/// </summary>
internal static class CniSetup
{
    public static CniConfigSet Load(AgentOptions options, ILogger logger)
    {
        if (options.CniConfigDir is not { } dir)
        {
            return CniConfigSet.Empty;
        }
        var set = CniConfigLoader.Load(dir, options.CniPluginDirs);
        foreach (var error in set.Errors)
        {
            CniLog.Skipped(logger, error);
        }
        CniLog.Loaded(logger, dir, set.Networks.Count == 0 ? "none" : string.Join(", ", set.Names));
        return set;
    }

    public static CniMode Mode(AgentOptions options, AgentNetworks networks, ILogger logger) =>
        new(networks.Cni,
            new CniRuntime(new CniPluginInvoker(networks.Host, options.CniPluginDirs)),
            new CniAttachmentCache(Path.Combine(networks.StateDirectory, "cni")),
            logger);
}
