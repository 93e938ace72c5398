using System.Text.Json;

namespace Harrier.Networking.Isolation;

/// <summary>
/// Drops whatever a port-mapped container sends that its veth's tc filters did not steer (a source port outside its
/// ranges, IPv6, anything else): one nftables netdev table owned by Harrier (<c>netdev harrier_isolation</c>) with one
/// ingress chain per veth (<c>in_VETH</c>, policy drop). tc ingress runs before netdev ingress, so steered packets never
/// reach it. A chain outlives its device, so it is deleted explicitly (and by the start-up reconciliation); the table
/// goes with its last chain.
/// </summary>
public sealed class VethGuard(HostNamespace host, string table = VethGuard.DefaultTable)
{
    public const string DefaultTable = "harrier_isolation";

    private const string Prefix = "in_";

    public Task AddAsync(string veth, CancellationToken cancellationToken = default) =>
        host.ExecAsync("nft", ["-f", "-"],
            $"add table netdev {table}\nadd chain netdev {table} {Prefix}{veth} {{ type filter hook ingress device \"{veth}\" priority 0; policy drop; }}\n",
            cancellationToken);

    /// <summary>Deletes the veth's chain, and the table when no chain is left. Idempotent.</summary>
    public async Task RemoveAsync(string veth)
    {
        var guarded = await VethsAsync();
        if (guarded.Contains(veth))
        {
            await host.ExecAsync("nft", ["-f", "-"], $"delete chain netdev {table} {Prefix}{veth}\n");
        }
        if (guarded.Count > 0 && guarded.All(v => v == veth))
        {
            await host.TryExecAsync("nft", ["delete", "table", "netdev", table]);
        }
    }

    /// <summary>The veths that have a chain (none when the table does not exist).</summary>
    public async Task<IReadOnlyList<string>> VethsAsync()
    {
        var (code, stdout, _) = await host.TryExecAsync("nft", ["-j", "list", "table", "netdev", table]);
        if (code != 0)
        {
            return [];
        }
        using var doc = JsonDocument.Parse(stdout);
        var result = new List<string>();
        foreach (var item in doc.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (item.TryGetProperty("chain", out var chain) && chain.GetProperty("name").GetString() is { } name && name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                result.Add(name[Prefix.Length..]);
            }
        }
        return result;
    }

    /// <summary>True when the table exists (tests: nothing may be left behind).</summary>
    public async Task<bool> ExistsAsync() => (await host.TryExecAsync("nft", ["list", "table", "netdev", table])).ExitCode == 0;
}
