using System.Text.Json.Nodes;

namespace Harrier.Networking.Cni;

/// <summary>
/// Drives a network's plugin chain through the CNI spec, as libcni does: ADD runs the plugins in order, each given the
/// previous one's result as <c>prevResult</c>; DEL runs them in reverse with the ADD's cached result (spec 0.4.0 and
/// later). Each plugin's configuration gets the network's <c>name</c> and <c>cniVersion</c>, and
/// <c>runtimeConfig.portMappings</c> when it declares that capability. A failure — an error result, a non-zero exit,
/// a timeout, output that is not a result — is a <see cref="NetworkSetupException"/> naming the network, the plugin
/// and the cause; nothing a plugin prints can do more than fail the attachment.
/// </summary>
public sealed class CniRuntime(CniPluginInvoker invoker)
{
    public CniPluginInvoker Invoker { get; } = invoker;

    public async Task<CniResult> AddAsync(CniNetworkConfig network, CniRuntimeArgs args, CancellationToken cancellationToken)
    {
        CniResult? previous = null;
        foreach (var plugin in network.Plugins)
        {
            var stdin = Stdin(network, plugin, args, previous?.Json);
            var (code, stdout, stderr) = await Invoker.InvokeAsync(plugin.Path, "ADD", args, stdin, cancellationToken);
            if (code != 0)
            {
                throw Failure(network, plugin, "ADD", code, stdout, stderr);
            }
            try
            {
                previous = CniResultParser.Parse(stdout);
            }
            catch (FormatException e)
            {
                throw new NetworkSetupException($"CNI network '{network.Name}': plugin '{plugin.Type}' ADD: {e.Message}", e);
            }
        }
        return previous ?? throw new NetworkSetupException($"CNI network '{network.Name}' has no plugins");
    }

    /// <summary>Runs DEL through every plugin (in reverse) even when one fails, then throws the first failure. A DEL of
    /// something already gone (its namespace deleted, its address freed) succeeds: plugins must allow that.</summary>
    public async Task DelAsync(CniNetworkConfig network, CniRuntimeArgs args, string? cachedResult, CancellationToken cancellationToken)
    {
        // libcni gives DEL the cached result as prevResult from spec 0.4.0 on; a 0.3.x plugin gets none.
        var prevResult = network.CniVersion.StartsWith("0.3.", StringComparison.Ordinal) ? null : cachedResult;
        NetworkSetupException? first = null;
        foreach (var plugin in network.Plugins.Reverse())
        {
            var (code, stdout, stderr) = await Invoker.InvokeAsync(plugin.Path, "DEL", args, Stdin(network, plugin, args, prevResult), cancellationToken);
            if (code != 0)
            {
                first ??= Failure(network, plugin, "DEL", code, stdout, stderr);
            }
        }
        if (first is not null)
        {
            throw first;
        }
    }

    /// <summary>The configuration one plugin reads on stdin.</summary>
    public static string Stdin(CniNetworkConfig network, CniPluginConfig plugin, CniRuntimeArgs args, string? prevResult)
    {
        var config = plugin.Object();
        config["name"] = network.Name;
        config["cniVersion"] = network.CniVersion;
        config.Remove("prevResult");
        config.Remove("runtimeConfig");
        if (prevResult is not null)
        {
            config["prevResult"] = JsonNode.Parse(prevResult);
        }
        if (plugin.Capabilities.Contains(CniConfigParser.PortMappingsCapability) && args.PortMappings.Count > 0)
        {
            var mappings = new JsonArray();
            foreach (var m in args.PortMappings)
            {
                mappings.Add(new JsonObject { ["hostPort"] = m.HostPort, ["containerPort"] = m.ContainerPort, ["protocol"] = m.Protocol });
            }
            config["runtimeConfig"] = new JsonObject { [CniConfigParser.PortMappingsCapability] = mappings };
        }
        return config.ToJsonString();
    }

    private static NetworkSetupException Failure(CniNetworkConfig network, CniPluginConfig plugin, string command, int code, string stdout, string stderr)
    {
        var cause = CniError.TryParse(stdout)?.ToString()
            ?? (code == -1 ? stderr.Trim()
                : (stderr.Trim() is { Length: > 0 } err ? (err.Length > 400 ? err[..400] + "…" : err) + $" (exit {code})" : $"exit {code}"));
        return new NetworkSetupException($"CNI network '{network.Name}': plugin '{plugin.Type}' failed {command}: {cause}");
    }
}
