using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Harrier.Core.Networks;
using Harrier.Networking;

namespace Harrier.Bench;

/// <summary>
/// <c>network</c>: per-task network setup and data-path throughput of Harrier's bridge and overlay, beside the floor (a
/// bare <c>ip netns add</c> + veth) and the CNI bridge + portmap chain, all in namespaces the benchmark makes (two
/// "hosts" joined by a veth as the underlay; nothing touches the machine's own network). Prints p50/p99 of setup, and
/// iperf3 throughput: host → task through a port mapping vs. to the task's address, and task → task across the two
/// hosts over the overlay vs. host → host on the underlay. Needs root, iperf3 and nft.
/// </summary>
internal static class NetworkBenchmark
{
    public static async Task<int> RunAsync(BenchArgs options)
    {
        var cycles = options.Int("cycles", 30);
        var seconds = options.Int("seconds", 10);
        var pairs = options.Int("pairs", 5);
        var id = Guid.NewGuid().ToString("N")[..5];
        var (h1, h2) = ("hbn1-" + id, "hbn2-" + id);
        var state = Path.Combine(Path.GetTempPath(), "harrier-bench-net-" + id);
        var namespaces = new List<string> { h1, h2 };
        var servers = new List<Process>();
        try
        {
            foreach (var h in (string[])[h1, h2])
            {
                await NetworkNamespaces.CreateAsync(h, CancellationToken.None);
            }
            // The underlay: 192.0.2.1 <-> 192.0.2.2 (TEST-NET-1, inside the benchmark's namespaces only).
            await HostCommand.RunAsync("ip", ["-n", h1, "link", "add", "ul0", "type", "veth", "peer", "name", "ul0", "netns", h2]);
            await new HostNamespace(h1).IpAsync(["-batch", "-"], "addr add 192.0.2.1/24 dev ul0\nlink set ul0 up\n");
            await new HostNamespace(h2).IpAsync(["-batch", "-"], "addr add 192.0.2.2/24 dev ul0\nlink set ul0 up\n");
            Console.WriteLine($"network: {cycles} task setups per kind, iperf3 {seconds} s per path, {Stats.LoadAverage()}");

            var host = new HostNamespace(h1);
            var floor = new List<double>();
            for (var i = 0; i < cycles; i++)
            {
                var ns = $"hbnf-{id}-{i}";
                var sw = Stopwatch.StartNew();
                await HostCommand.RunAsync("ip", ["netns", "add", ns]);
                await host.IpAsync(["link", "add", "fv" + i, "type", "veth", "peer", "name", "eth0", "netns", ns]);
                floor.Add(sw.Elapsed.TotalMilliseconds);
                await host.TryIpAsync(["link", "del", "fv" + i]);
                await NetworkNamespaces.DeleteAsync(ns);
            }
            Console.WriteLine($"  floor (ip netns add + veth):          {Stats.Summary(floor)}");

            var bridgeCidr = Ipv4Cidr.Parse("172.31.254.0/24");
            var bridge = new BridgeNetwork(host, "harrier0", bridgeCidr, 1500, new IpAllocator(bridgeCidr, Path.Combine(state, "bridge")));
            var nat = new NatTable(host);
            await bridge.EnsureAsync(CancellationToken.None);
            await nat.ReplaceAsync([bridgeCidr], [], []);
            var bridgeSetup = await SetupCyclesAsync(cycles, id, "b", bridge, nat, []);
            Console.WriteLine($"  Harrier bridge (netns+veth+IP+map):   {Stats.Summary(bridgeSetup)}");

            var overlayCidr = Ipv4Cidr.Parse("10.200.0.0/16");
            var (s1, s2) = (overlayCidr.Subnet(24, 0), overlayCidr.Subnet(24, 1));
            var o1 = await OverlayAsync(new HostNamespace(h1), state, "1", s1, overlayCidr, new VxlanPeer(s2, "192.0.2.2"));
            var o2 = await OverlayAsync(new HostNamespace(h2), state, "2", s2, overlayCidr, new VxlanPeer(s1, "192.0.2.1"));
            var overlaySetup = await SetupCyclesAsync(cycles, id, "o", o1, nat, [overlayCidr]);
            Console.WriteLine($"  Harrier overlay (netns+veth+IP):      {Stats.Summary(overlaySetup)}");

            // Data paths: a task on the bridge (iperf3 server on 5201, host port 31000), one task on each host's overlay.
            var bridgeTask = $"hbnt-{id}-b";
            namespaces.Add(bridgeTask);
            await NetworkNamespaces.CreateAsync(bridgeTask, CancellationToken.None);
            var bridgeIp = await bridge.AttachAsync("bench-b", bridgeTask, "eth0", "hvbb" + id, true, [], CancellationToken.None);
            await nat.AddAsync([new PortMapEntry("tcp", 31000, bridgeIp, 5201)]);
            servers.Add(Iperf3Server(bridgeTask));
            var (t1, t2) = ($"hbnt-{id}-1", $"hbnt-{id}-2");
            namespaces.AddRange([t1, t2]);
            await NetworkNamespaces.CreateAsync(t1, CancellationToken.None);
            await NetworkNamespaces.CreateAsync(t2, CancellationToken.None);
            await o1.AttachAsync("bench-1", t1, "eth0", "hvo1" + id, true, [], CancellationToken.None);
            var ip2 = await o2.AttachAsync("bench-2", t2, "eth0", "hvo2" + id, true, [], CancellationToken.None);
            servers.Add(Iperf3Server(t2));
            servers.Add(Iperf3Server(h2));
            await Task.Delay(500);

            // Pairs in turn (direct, mapped, underlay, overlay), client and server pinned to their own cores so that every
            // path runs the same way; the ratio is taken per pair and its median reported.
            var (directs, mappeds, underlays, overlays) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
            for (var i = 0; i < pairs; i++)
            {
                directs.Add(await Iperf3Async(h1, bridgeIp.ToString(), 5201, seconds));
                mappeds.Add(await Iperf3Async(h1, bridgeCidr.Gateway.ToString(), 31000, seconds));
                underlays.Add(await Iperf3Async(h1, "192.0.2.2", 5201, seconds));
                overlays.Add(await Iperf3Async(t1, ip2.ToString(), 5201, seconds));
                Console.WriteLine($"  pair {i + 1}: direct {directs[i] / 1e9:0.00}, mapped {mappeds[i] / 1e9:0.00} ({mappeds[i] / directs[i]:0.00}x), " +
                    $"underlay {underlays[i] / 1e9:0.00}, overlay {overlays[i] / 1e9:0.00} Gbit/s ({overlays[i] / underlays[i]:0.00}x)");
            }
            var mappedRatios = mappeds.Select((m, i) => m / directs[i]).ToList();
            var overlayRatios = overlays.Select((o, i) => o / underlays[i]).ToList();
            Console.WriteLine($"  host -> task, direct to task IP:      {Stats.Percentile(directs, 50) / 1e9:0.00} Gbit/s (median)");
            Console.WriteLine($"  host -> task, through the host port:  {Stats.Percentile(mappeds, 50) / 1e9:0.00} Gbit/s  ({Stats.Percentile(mappedRatios, 50):0.00}x of direct, median of pairs)");
            Console.WriteLine($"  host -> host on the underlay:         {Stats.Percentile(underlays, 50) / 1e9:0.00} Gbit/s");
            Console.WriteLine($"  task -> task across hosts (overlay):  {Stats.Percentile(overlays, 50) / 1e9:0.00} Gbit/s  ({Stats.Percentile(overlayRatios, 50):0.00}x of the underlay, median of pairs: " +
                string.Join(", ", overlayRatios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture))) + ")");
            return 0;
        }
        finally
        {
            await StartedProcesses.StopAsync(servers);
            foreach (var ns in NetworkNamespaces.List("hbn").Where(n => n.Contains(id, StringComparison.Ordinal)).Concat(namespaces).Distinct())
            {
                await NetworkNamespaces.DeleteAsync(ns);
            }
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }

    private static async Task<RoutedNetwork> OverlayAsync(HostNamespace host, string state, string key, Ipv4Cidr slice, Ipv4Cidr overlay, VxlanPeer peer)
    {
        var vxlan = new VxlanOverlay(host, "ovxbench", slice, 1024);
        await vxlan.EnsureAsync(peer.Address, CancellationToken.None);
        await vxlan.SetPeersAsync([peer], CancellationToken.None);
        var routed = new RoutedNetwork(host, slice, vxlan.Mtu, new IpAllocator(slice, Path.Combine(state, "overlay" + key)));
        await routed.EnsureAsync(CancellationToken.None);
        await host.IpAsync(["route", "replace", "unreachable", overlay.ToString()]);
        await new NatTable(host).ReplaceAsync([slice], [overlay], []);
        return routed;
    }

    /// <summary>Task setups as the agent does them: namespace, veth into the bridge, an address, one port mapping.</summary>
    private static async Task<List<double>> SetupCyclesAsync(int cycles, string id, string kind, ITaskSubnet bridge, NatTable nat, IReadOnlyList<Ipv4Cidr> routes)
    {
        var times = new List<double>();
        for (var i = 0; i < cycles; i++)
        {
            var ns = $"hbn{kind}-{id}-{i}";
            var owner = $"bench-{kind}-{i}";
            var veth = "hv" + kind + id + i.ToString(CultureInfo.InvariantCulture);
            var sw = Stopwatch.StartNew();
            await NetworkNamespaces.CreateAsync(ns, CancellationToken.None);
            var ip = await bridge.AttachAsync(owner, ns, "eth0", veth, true, routes, CancellationToken.None);
            var entry = new PortMapEntry("tcp", 32000 + i, ip, 8080);
            if (routes.Count == 0)
            {
                await nat.AddAsync([entry]);
            }
            times.Add(sw.Elapsed.TotalMilliseconds);
            if (routes.Count == 0)
            {
                await nat.RemoveAsync([entry]);
            }
            await bridge.DetachAsync(owner, veth);
            await NetworkNamespaces.DeleteAsync(ns);
        }
        return times;
    }

    private static Process Iperf3Server(string ns) =>
        Process.Start(new ProcessStartInfo("ip", ["netns", "exec", ns, "iperf3", "-s", "-p", "5201"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;

    /// <summary>iperf3's client on the first core and its server on the second (when there are two).</summary>
    private static string[] Pinning => Environment.ProcessorCount >= 2 ? ["-A", "0,1"] : [];

    /// <summary>Bits per second received, from iperf3's JSON.</summary>
    private static async Task<double> Iperf3Async(string ns, string address, int port, int seconds)
    {
        var output = await HostCommand.RunAsync("ip", ["netns", "exec", ns, "iperf3", "-c", address, "-p", port.ToString(CultureInfo.InvariantCulture),
            "-t", seconds.ToString(CultureInfo.InvariantCulture), .. Pinning, "-J"], timeout: TimeSpan.FromSeconds(seconds + 20));
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble();
    }
}
