using System.Globalization;
using Harrier.Networking;
using Harrier.Networking.Vips;
using Harrier.Testing;

namespace Harrier.Networking.Tests.Vips;

/// <summary>
/// A "host" namespace with the VIP table, backends in their own namespaces behind veths (10.77.i.2, as tasks on a
/// bridge would be; the host side has route_localnet like Harrier's bridges), and a client "task" namespace
/// (10.78.0.2) whose default route is the host, so its VIP traffic goes through prerouting. Everything is named
/// <c>hvt-*-&lt;id&gt;</c> and deleted on dispose, servers included.
/// </summary>
internal sealed class VipTestBed : IAsyncDisposable
{
    private readonly string _id = Guid.NewGuid().ToString("N")[..6];
    private readonly List<string> _namespaces = [];
    private readonly List<TestBackend> _backends = [];

    public string HostNs => "hvt-h-" + _id;

    public string ClientNs => "hvt-c-" + _id;

    public HostNamespace Host => new(HostNs);

    public static string? Missing() =>
        Requirements.Root() ?? Requirements.Binary("nft") ?? Requirements.Binary("ip");

    public static async Task<VipTestBed> CreateAsync(int backends, int port = 8080)
    {
        var bed = new VipTestBed();
        try
        {
            await bed.AddNamespaceAsync(bed.HostNs);
            await bed.Host.SysctlAsync("net.ipv4.ip_forward", "1");
            await bed.AddNamespaceAsync(bed.ClientNs);
            await bed.Host.IpAsync(["link", "add", "hvtc", "type", "veth", "peer", "name", "eth0", "netns", bed.ClientNs]);
            await bed.Host.IpAsync(["-batch", "-"], "addr add 10.78.0.1/24 dev hvtc\nlink set hvtc up\n");
            await new HostNamespace(bed.ClientNs).IpAsync(["-batch", "-"], "addr add 10.78.0.2/24 dev eth0\nlink set eth0 up\nroute add default via 10.78.0.1\n");
            for (var i = 1; i <= backends; i++)
            {
                await bed.AddBackendAsync(i, port);
            }
            return bed;
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    public IReadOnlyList<TestBackend> Backends => _backends;

    public static string BackendAddress(int i) => $"10.77.{i.ToString(CultureInfo.InvariantCulture)}.2";

    public async Task<TestBackend> AddBackendAsync(int i, int port)
    {
        var n = i.ToString(CultureInfo.InvariantCulture);
        var ns = $"hvt-b{n}-{_id}";
        await AddNamespaceAsync(ns);
        await Host.IpAsync(["link", "add", "hvtb" + n, "type", "veth", "peer", "name", "eth0", "netns", ns]);
        await Host.IpAsync(["-batch", "-"], $"addr add 10.77.{n}.1/24 dev hvtb{n}\nlink set hvtb{n} up\n");
        await Host.SysctlAsync($"net.ipv4.conf.hvtb{n}.route_localnet", "1");
        await new HostNamespace(ns).IpAsync(["-batch", "-"], $"addr add 10.77.{n}.2/24 dev eth0\nlink set eth0 up\nroute add default via 10.77.{n}.1\n");
        var backend = new TestBackend(ns, "b" + n, port);
        _backends.Add(backend);
        return backend;
    }

    public async Task AddNamespaceAsync(string ns)
    {
        _namespaces.Add(ns);
        await NetworkNamespaces.CreateAsync(ns, CancellationToken.None);
    }

    /// <summary>Which backends answer new connections to the VIP: connects up to <paramref name="attempts"/> times,
    /// stopping early once every one of <paramref name="expected"/> was seen.</summary>
    public static async Task<HashSet<string>> SeenAsync(string ns, string address, int port, int attempts, int expected = int.MaxValue)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < attempts && seen.Count < expected; i++)
        {
            if (await TestConnection.BackendOfAsync(ns, address, port) is { } name)
            {
                seen.Add(name);
            }
        }
        return seen;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }
        foreach (var ns in Enumerable.Reverse(_namespaces))
        {
            await NetworkNamespaces.DeleteAsync(ns);
        }
    }
}
