namespace Harrier.Networking;

/// <summary>
/// Named network namespaces (<c>ip netns</c>: a bind mount under <c>/run/netns</c>, so a namespace outlives the agent
/// process and the task's processes until it is deleted). Harrier's names start with a prefix, so the agent's start-up
/// reconciliation can tell its own from anyone else's and never touches those.
/// </summary>
public static class NetworkNamespaces
{
    public const string Directory = "/run/netns";

    public static string PathOf(string name) => System.IO.Path.Combine(Directory, name);

    public static bool Exists(string name) => File.Exists(PathOf(name));

    /// <summary>Creates the namespace with its loopback up; an existing one (a retry after a crash) is reused.</summary>
    public static async Task CreateAsync(string name, CancellationToken cancellationToken)
    {
        if (!Exists(name))
        {
            await HostCommand.RunAsync("ip", ["netns", "add", name], cancellationToken: cancellationToken);
        }
        await HostCommand.RunAsync("ip", ["-n", name, "link", "set", "lo", "up"], cancellationToken: cancellationToken);
    }

    /// <summary>Deletes the namespace (and with it every device inside, the task ends of veth pairs included). Idempotent.</summary>
    public static async Task DeleteAsync(string name)
    {
        if (!Exists(name))
        {
            return;
        }
        var (code, _, stderr) = await HostCommand.TryRunAsync("ip", ["netns", "del", name]);
        if (code != 0 && Exists(name))
        {
            throw new NetworkSetupException($"ip netns del {name}: {stderr.Trim()}");
        }
    }

    /// <summary>The names of the namespaces that start with <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<string> List(string prefix)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }
        return [.. System.IO.Directory.EnumerateFiles(Directory, prefix + "*").Select(System.IO.Path.GetFileName).OfType<string>()];
    }
}
