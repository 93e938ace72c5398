using System.Collections.Frozen;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Harrier.Dns.Server;
using Harrier.Dns.Zones;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harrier.Bench.Dns;

/// <summary>
/// dnsperf against the DNS server in this process on 127.0.0.1: a synthetic zone of N apps × 3 tasks (per app an A name
/// with 3 addresses, an SRV name with 3 targets, 3 task names), queries half A, half SRV over random apps.
/// Per-core figure = answered queries / CPU seconds this process used during the run (dnsperf is another process, so
/// its CPU is not counted). Latency percentiles come from a second, rate-limited run with dnsperf -v.
/// </summary>
internal static class DnsBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var apps = args.Int("apps", 10000);
        var seconds = args.Int("seconds", 10);
        var threads = args.Int("threads", 1);
        var zone = Zone(apps);
        await using var harrier = new DnsServer(
            new DnsServerOptions { Address = IPAddress.Loopback, Port = 0, Recursion = false, UdpThreads = threads },
            new Source(zone), NullLogger.Instance);
        harrier.Start();
        // --arsoft 1: the same zone served by ARSoft.Tools.Net's own server instead (on the next port up).
        await using var arsoft = args.Int("arsoft", 0) == 1 ? new ArsoftZoneServer(zone, harrier.Port + 1) : null;
        var server = (Port: arsoft?.Port ?? harrier.Port, Name: arsoft is null ? "Harrier's codec" : "ARSoft.Tools.Net's DnsServer");
        var queries = Path.Combine(Path.GetTempPath(), $"harrier-dnsperf-{Environment.ProcessId}.txt");
        var random = new Random(1);
        await File.WriteAllLinesAsync(queries, Enumerable.Range(0, 100_000).Select(i =>
            i % 2 == 0 ? $"app{random.Next(apps)}.marathon.mesos A" : $"_app{random.Next(apps)}._tcp.marathon.mesos SRV"));
        try
        {
            Console.WriteLine($"zone: {apps} apps, {zone.Count} names; {server.Name} on 127.0.0.1:{server.Port}, {threads} UDP thread(s)");
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var output = await RunDnsperfAsync($"-s 127.0.0.1 -p {server.Port} -d {queries} -l {seconds} -c 8 -T 2 -q 200");
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            var completed = Number(output, "Queries completed:");
            var qps = Number(output, "Queries per second:");
            Console.WriteLine(string.Join('\n', output.Split('\n').Where(l => l.Contains("Queries", StringComparison.Ordinal) || l.Contains("Response codes", StringComparison.Ordinal) || l.Contains("Average Latency", StringComparison.Ordinal))));
            Console.WriteLine($"answered/s: {qps:F0}; server CPU {cpu:F2} s over {seconds} s → {completed / cpu:F0} answered queries per CPU-second (per core)");

            var rate = Math.Max(1000, (int)(qps / 2));
            var verbose = await RunDnsperfAsync($"-s 127.0.0.1 -p {server.Port} -d {queries} -l 3 -c 4 -Q {rate} -v");
            var latencies = verbose.Split('\n').Where(l => l.StartsWith("> ", StringComparison.Ordinal))
                .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)).Order().ToArray();
            if (latencies.Length > 0)
            {
                Console.WriteLine($"latency at {rate}/s ({latencies.Length} queries): p50 {latencies[latencies.Length / 2] * 1e6:F0} µs, p99 {latencies[(int)(latencies.Length * 0.99)] * 1e6:F0} µs");
            }
            return 0;
        }
        finally
        {
            File.Delete(queries);
        }
    }

    private static ZoneSnapshot Zone(int apps)
    {
        var names = new Dictionary<string, NameRecords>();
        for (var app = 0; app < apps; app++)
        {
            var addresses = new List<IPAddress>();
            var srv = new List<SrvData>();
            for (var task = 0; task < 3; task++)
            {
                var address = new IPAddress(new byte[] { 10, (byte)(app >> 8), (byte)app, (byte)(task + 1) });
                var target = $"app{app}-t{task}-s{task}.marathon.mesos.";
                names[target] = new([address], [], []);
                addresses.Add(address);
                srv.Add(new SrvData(target, (ushort)(31000 + task)));
            }
            names[$"app{app}.marathon.mesos."] = new(addresses, [], []);
            names[$"_app{app}._tcp.marathon.mesos."] = new([], [], srv);
        }
        return new ZoneSnapshot([new ZoneAuthority("mesos.", 60, "ns1.mesos.", "root.ns1.mesos.", 1)], names.ToFrozenDictionary());
    }

    private static async Task<string> RunDnsperfAsync(string arguments)
    {
        var start = new ProcessStartInfo("dnsperf", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var dnsperf = Process.Start(start) ?? throw new InvalidOperationException("dnsperf did not start");
        var output = dnsperf.StandardOutput.ReadToEndAsync();
        var errors = dnsperf.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await dnsperf.WaitForExitAsync(timeout.Token);
        return await output + await errors;
    }

    private static double Number(string output, string label)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.Contains(label, StringComparison.Ordinal)) ?? throw new InvalidOperationException($"dnsperf printed no '{label}':\n{output}");
        var value = line[(line.IndexOf(label, StringComparison.Ordinal) + label.Length)..].Trim().Split(' ')[0];
        return double.Parse(value, CultureInfo.InvariantCulture);
    }

    private sealed class Source(ZoneSnapshot zone) : IZoneSource
    {
        public ZoneSnapshot Current => zone;
    }
}
