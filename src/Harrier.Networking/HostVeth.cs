namespace Harrier.Networking;

/// <summary>The host end of a task's veth, as <see cref="BridgeNetwork"/> and <see cref="RoutedNetwork"/> handle it.</summary>
internal static class HostVeth
{
    /// <summary>Before a setup: a link left by a setup a crash cut short is deleted, so the setup starts over.</summary>
    public static async Task ClearAsync(HostNamespace host, string hostVeth, CancellationToken cancellationToken)
    {
        if (await host.LinkExistsAsync(hostVeth))
        {
            await host.TryIpAsync(["link", "del", hostVeth], cancellationToken);
        }
    }

    /// <summary>Deletes the link (the task's end, and every route and address on either end, go with it); gone
    /// already is fine, a link that stays is an error.</summary>
    public static async Task DeleteAsync(HostNamespace host, string hostVeth)
    {
        if (await host.LinkExistsAsync(hostVeth))
        {
            var (code, _, stderr) = await host.TryIpAsync(["link", "del", hostVeth]);
            if (code != 0 && await host.LinkExistsAsync(hostVeth))
            {
                throw new NetworkSetupException($"ip link del {hostVeth}: {stderr.Trim()}");
            }
        }
    }
}
