using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Harrier.Bench.Dns;

/// <summary>
/// Staleness: from a task's end (its process killed with SIGKILL here, at a known instant) to its SRV record gone from
/// harrier dev's DNS and to its host port gone from the VIP's nftables chain, over N changes. Each change waits for the
/// replacement task to be named again before the next. Root (the VIP table); run it in a namespace of its own.
/// </summary>
internal static class StalenessBenchmark
{
    private const string Srv = "_stale._tcp.marathon.mesos";

    public static async Task<int> RunAsync(BenchArgs options)
    {
        var changes = options.Int("changes", 100);
        var instances = options.Int("instances", 5);
        var dnsPort = FreePort();
        await using var dev = await DevServer.StartAsync("--dns-port", dnsPort.ToString(CultureInfo.InvariantCulture), "--vip-cidr", "127.77.0.0/16", "--dns-upstream", "127.0.0.1:9");
        var app = $$$"""
            {"id":"/stale","instances":{{{instances}}},"cpus":0.01,"mem":16,"cmd":"exec sleep 100000","backoffSeconds":0,"backoffFactor":1,
             "portDefinitions":[{"port":0,"labels":{"VIP_0":"/stale:80"}}]}
            """;
        await dev.Http.PostAsync("/v2/apps", new StringContent(app, Encoding.UTF8, "application/json"));
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(IPAddress.Loopback, dnsPort);
        udp.Client.ReceiveTimeout = 1000;
        await WaitAsync(async () => (await PortsAsync(udp)).Count == instances, TimeSpan.FromSeconds(60), "all tasks named");
        var vipChain = await VipChainAsync(dev);
        var dnsMs = new List<double>();
        var vipMs = new List<double>();
        for (var i = 0; i < changes; i++)
        {
            var task = (await dev.GetAsync("/v2/apps/stale/tasks"))["tasks"]!.AsArray().First(t => t!["state"]!.GetValue<string>() == "TASK_RUNNING")!;
            var id = task["id"]!.GetValue<string>();
            var port = task["ports"]![0]!.GetValue<int>();
            // RUNNING may come a moment before the shell has exec'd sleep.
            int? found = null;
            for (var attempt = 0; attempt < 100 && (found = TaskPid(id)) is null; attempt++)
            {
                await Task.Delay(20);
            }
            var pid = found ?? throw new InvalidOperationException("no process for " + id);
            var clock = Stopwatch.StartNew();
            Process.GetProcessById(pid).Kill();
            double? dns = null;
            double? vip = null;
            while ((dns is null || vip is null) && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                if (dns is null && !(await PortsAsync(udp)).Contains(port))
                {
                    dns = clock.Elapsed.TotalMilliseconds;
                }
                if (vip is null && !(await Nft(["list", "chain", "ip", "harrier_vip", vipChain])).Contains(" . " + port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
                {
                    vip = clock.Elapsed.TotalMilliseconds;
                }
            }
            dnsMs.Add(dns ?? double.NaN);
            vipMs.Add(vip ?? double.NaN);
            await WaitAsync(async () => (await PortsAsync(udp)).Count == instances, TimeSpan.FromSeconds(60), "the replacement named");
        }
        Console.WriteLine($"discovery staleness, {changes} task ends, {instances} instances ({Stats.LoadAverage()}):");
        Console.WriteLine($"  task end → SRV record gone:   {Stats.Summary(dnsMs)}");
        Console.WriteLine($"  task end → VIP backend gone:  {Stats.Summary(vipMs)}");
        return 0;
    }

    private static async Task<string> VipChainAsync(DevServer dev)
    {
        var vip = (await dev.GetAsync("/v1/vips"))[0]!;
        return "svc_tcp_" + vip["ip"]!.GetValue<string>().Replace('.', '_') + "_80";
    }

    /// <summary>The SRV record ports of the app, by a plain DNS query (UDP, one try).</summary>
    private static async Task<HashSet<int>> PortsAsync(UdpClient udp)
    {
        var query = Query(Srv, 33);
        await udp.SendAsync(query);
        var reply = (await udp.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(1))).Buffer;
        var ports = new HashSet<int>();
        var answers = BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(6));
        var at = 12;
        at = SkipName(reply, at) + 4;
        for (var i = 0; i < answers; i++)
        {
            at = SkipName(reply, at);
            var type = BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(at));
            var length = BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(at + 8));
            if (type == 33)
            {
                ports.Add(BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(at + 10 + 4)));
            }
            at += 10 + length;
        }
        return ports;
    }

    private static byte[] Query(string name, ushort type)
    {
        var bytes = new List<byte> { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        bytes.AddRange([0, (byte)(type >> 8), (byte)type, 0, 1]);
        return [.. bytes];
    }

    private static int SkipName(byte[] m, int at)
    {
        while (m[at] != 0)
        {
            if ((m[at] & 0xC0) == 0xC0)
            {
                return at + 2;
            }
            at += m[at] + 1;
        }
        return at + 1;
    }

    /// <summary>The pid of the task's <c>sleep</c> (its environment names the task).</summary>
    private static int? TaskPid(string taskId)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() == "sleep"
                    && File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').Contains("MESOS_TASK_ID=" + taskId))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return null;
    }

    private static async Task<string> Nft(string[] args)
    {
        var psi = new ProcessStartInfo("nft") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return output;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(what);
            }
            await Task.Delay(20);
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
