using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Harrier.Networking.Vips;

/// <summary>
/// The device VIP addresses live on as /32s (<c>harrier-vip</c>, like dcos-net's <c>minuteman</c>), so the kernel's
/// route lookup finds every VIP local and never sends a connection to one out of the default route, even before the
/// DNAT. A <c>dummy</c> device where the kernel has the driver, else an <c>ifb</c> device (any device holds local
/// addresses; neither carries traffic).
/// </summary>
public sealed class VipAddressDevice(HostNamespace host, string name = VipAddressDevice.DefaultName)
{
    public const string DefaultName = "harrier-vip";

    public string Name { get; } = name;

    public async Task EnsureAsync(CancellationToken cancellationToken = default)
    {
        if (!await host.LinkExistsAsync(Name))
        {
            var (code, _, stderr) = await host.TryIpAsync(["link", "add", Name, "type", "dummy"], cancellationToken);
            if (code != 0 && !await host.LinkExistsAsync(Name))
            {
                // Kernels built without CONFIG_DUMMY say "Unknown device type".
                var (ifbCode, _, ifbError) = await host.TryIpAsync(["link", "add", Name, "type", "ifb"], cancellationToken);
                if (ifbCode != 0 && !await host.LinkExistsAsync(Name))
                {
                    throw new NetworkSetupException($"cannot create the VIP device {Name}: dummy: {stderr.Trim()}; ifb: {ifbError.Trim()}");
                }
            }
        }
        await host.IpAsync(["link", "set", Name, "up"], cancellationToken: cancellationToken);
    }

    /// <summary>The IPv4 addresses on the device (none when it does not exist).</summary>
    public async Task<IReadOnlySet<IPAddress>> ListAsync(CancellationToken cancellationToken = default)
    {
        var (code, stdout, _) = await host.TryIpAsync(["-j", "-4", "addr", "show", "dev", Name], cancellationToken);
        return code == 0 ? Addresses(stdout, device => device == Name) : new HashSet<IPAddress>();
    }

    /// <summary>IPv4 addresses the host holds on devices other than this one: a VIP there would capture the host's
    /// own traffic.</summary>
    public async Task<IReadOnlySet<IPAddress>> OthersAsync(CancellationToken cancellationToken = default) =>
        Addresses(await host.IpAsync(["-j", "-4", "addr", "show"], cancellationToken: cancellationToken), device => device != Name);

    public Task AddAsync(IReadOnlyCollection<IPAddress> addresses, CancellationToken cancellationToken = default) =>
        BatchAsync("addr replace", addresses, cancellationToken);

    public Task RemoveAsync(IReadOnlyCollection<IPAddress> addresses, CancellationToken cancellationToken = default) =>
        BatchAsync("addr del", addresses, cancellationToken);

    /// <summary>Deletes the device and with it every VIP address. Idempotent.</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        if (await host.LinkExistsAsync(Name))
        {
            await host.IpAsync(["link", "del", Name], cancellationToken: cancellationToken);
        }
    }

    private async Task BatchAsync(string verb, IReadOnlyCollection<IPAddress> addresses, CancellationToken cancellationToken)
    {
        if (addresses.Count == 0)
        {
            return;
        }
        var batch = new StringBuilder();
        foreach (var address in addresses)
        {
            batch.Append(verb).Append(' ').Append(address).Append("/32 dev ").Append(Name).Append('\n');
        }
        await host.IpAsync(["-batch", "-"], batch.ToString(), cancellationToken);
    }

    internal static IReadOnlySet<IPAddress> Addresses(string json, Func<string, bool> device)
    {
        var result = new HashSet<IPAddress>();
        using var doc = JsonDocument.Parse(json.Length == 0 ? "[]" : json);
        foreach (var link in doc.RootElement.EnumerateArray())
        {
            if (!link.TryGetProperty("ifname", out var ifname) || !device(ifname.GetString() ?? "") || !link.TryGetProperty("addr_info", out var info))
            {
                continue;
            }
            foreach (var entry in info.EnumerateArray())
            {
                if (entry.TryGetProperty("local", out var local) && IPAddress.TryParse(local.GetString(), out var address)
                    && address.AddressFamily == AddressFamily.InterNetwork)
                {
                    result.Add(address);
                }
            }
        }
        return result;
    }
}
