using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Harrier.Networking;
using Harrier.Networking.Vips;

namespace Harrier.Bench.Vips;

/// <summary>
/// <c>vip</c>: the VIP data path and control path, in namespaces the benchmark makes (a "host" with the VIP table, a
/// backend namespace behind a veth running busybox httpd and iperf3, a task-like client namespace routed through the
/// host). Prints wrk requests/s and iperf3 throughput through the VIP vs. to the backend's own address in the same run
/// (the ratio is the VIP's cost: DNAT + masquerade on each connection's first packet), and p50/p99 of the time to apply
/// one backend change with <c>--vips</c> other VIPs in the table. Needs root, nft, wrk, iperf3 and /bin/busybox.
/// </summary>
internal static partial class VipBenchmark
{
    private const string Vip = "10.99.0.1";
    private const string Backend = "10.77.1.2";

    public static async Task<int> RunAsync(BenchArgs options)
    {
        var seconds = options.Int("seconds", 5);
        var changes = options.Int("changes", 100);
        var others = options.Int("vips", 100);
        var id = Guid.NewGuid().ToString("N")[..5];
        var (host, backend, client) = ("hbv-h-" + id, "hbv-b-" + id, "hbv-c-" + id);
        var www = Path.Combine(Path.GetTempPath(), "harrier-bench-vip-" + id);
        var servers = new List<Process>();
        var hostNs = new HostNamespace(host);
        try
        {
            foreach (var ns in (string[])[host, backend, client])
            {
                await NetworkNamespaces.CreateAsync(ns, CancellationToken.None);
            }
            await hostNs.SysctlAsync("net.ipv4.ip_forward", "1");
            await hostNs.IpAsync(["link", "add", "hbvb", "type", "veth", "peer", "name", "eth0", "netns", backend]);
            await hostNs.IpAsync(["link", "add", "hbvc", "type", "veth", "peer", "name", "eth0", "netns", client]);
            await hostNs.IpAsync(["-batch", "-"], "addr add 10.77.1.1/24 dev hbvb\nlink set hbvb up\naddr add 10.78.0.1/24 dev hbvc\nlink set hbvc up\n");
            await new HostNamespace(backend).IpAsync(["-batch", "-"], $"addr add {Backend}/24 dev eth0\nlink set eth0 up\nroute add default via 10.77.1.1\n");
            await new HostNamespace(client).IpAsync(["-batch", "-"], "addr add 10.78.0.2/24 dev eth0\nlink set eth0 up\nroute add default via 10.78.0.1\n");
            Directory.CreateDirectory(www);
            await File.WriteAllTextAsync(Path.Combine(www, "index.html"), "hello from the backend\n");
            servers.Add(Start(backend, "/bin/busybox", "httpd", "-f", "-p", "8080", "-h", www));
            servers.Add(Start(backend, "iperf3", "-s", "-p", "5201"));

            using var table = new VipTable(hostNs);
            var backends = new List<VipBackend> { new(IPAddress.Parse(Backend), 8080) };
            var vips = new List<VipService>
            {
                new(new VipKey(IPAddress.Parse(Vip), 80, VipProtocol.Tcp), backends),
                new(new VipKey(IPAddress.Parse(Vip), 5201, VipProtocol.Tcp), [new(IPAddress.Parse(Backend), 5201)]),
            };
            for (var i = 0; i < others; i++)
            {
                vips.Add(new(new VipKey(IPAddress.Parse($"10.98.{i / 250}.{1 + (i % 250)}"), 80, VipProtocol.Tcp), [new(IPAddress.Parse(Backend), 8080)]));
            }
            await table.ReconcileAsync(vips);
            await Task.Delay(300);
            Console.WriteLine($"vip: wrk {seconds} s (2 threads, 32 connections, a new connection per request: busybox httpd closes), iperf3 {seconds} s, {changes} backend changes with {others + 2} VIPs, {Stats.LoadAverage()}");

            var directRps = await WrkAsync(client, $"http://{Backend}:8080/", seconds);
            var vipRps = await WrkAsync(client, $"http://{Vip}:80/", seconds);
            Console.WriteLine($"  HTTP, task -> backend address:  {directRps,10:0} requests/s");
            Console.WriteLine($"  HTTP, task -> VIP:              {vipRps,10:0} requests/s  ({vipRps / directRps:0.00}x of direct)");
            var direct = await Iperf3Async(client, Backend, 5201, seconds);
            var through = await Iperf3Async(client, Vip, 5201, seconds);
            Console.WriteLine($"  iperf3, task -> backend address: {direct / 1e9,9:0.00} Gbit/s");
            Console.WriteLine($"  iperf3, task -> VIP:             {through / 1e9,9:0.00} Gbit/s  ({through / direct:0.00}x of direct)");

            var times = new List<double>();
            for (var i = 0; i < changes; i++)
            {
                // Alternate between one backend and two (a task joining and leaving the VIP).
                vips[0] = vips[0] with { Backends = i % 2 == 0 ? [.. backends, new(IPAddress.Parse("10.77.1.3"), 8080)] : backends };
                var sw = Stopwatch.StartNew();
                var result = await table.ApplyAsync(vips);
                times.Add(sw.Elapsed.TotalMilliseconds);
                if (result.Changed != 1)
                {
                    throw new InvalidOperationException($"expected one changed VIP, got {result}");
                }
            }
            Console.WriteLine($"  apply one backend change:       {Stats.Summary(times)}");
            await table.RemoveAllAsync();
            return 0;
        }
        finally
        {
            await StartedProcesses.StopAsync(servers);
            foreach (var ns in (string[])[client, backend, host])
            {
                await NetworkNamespaces.DeleteAsync(ns);
            }
            if (Directory.Exists(www))
            {
                Directory.Delete(www, recursive: true);
            }
        }
    }

    private static Process Start(string ns, string file, params string[] args) =>
        Process.Start(new ProcessStartInfo("ip", ["netns", "exec", ns, file, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true })!;

    private static async Task<double> WrkAsync(string ns, string url, int seconds)
    {
        var output = await HostCommand.RunAsync("ip", ["netns", "exec", ns, "/usr/bin/wrk", "-t2", "-c32", $"-d{seconds.ToString(CultureInfo.InvariantCulture)}s", url],
            timeout: TimeSpan.FromSeconds(seconds + 20));
        var match = RequestsPerSecond().Match(output);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException("wrk said: " + output);
    }

    /// <summary>Bits per second received, from iperf3's JSON.</summary>
    private static async Task<double> Iperf3Async(string ns, string address, int port, int seconds)
    {
        var output = await HostCommand.RunAsync("ip", ["netns", "exec", ns, "iperf3", "-c", address, "-p", port.ToString(CultureInfo.InvariantCulture),
            "-t", seconds.ToString(CultureInfo.InvariantCulture), "-J"], timeout: TimeSpan.FromSeconds(seconds + 20));
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble();
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();
}
