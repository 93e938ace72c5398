using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Harrier.Networking.Isolation;
using Harrier.Testing;
using Shouldly;
using Xunit;

namespace Harrier.Networking.Tests.Isolation;

/// <summary>
/// The port-mapping isolator for real, inside namespaces the test makes: a "host" (public interface eth0, 10.78.0.1)
/// joined by a veth to a "remote" (10.78.0.2) as the outside world, and a task namespace attached to the host's address.
/// Nothing touches the machine's own network.
/// </summary>
public sealed class PortMappingIsolatorTests : IAsyncLifetime
{
    private const string HostIp = "10.78.0.1";
    private const string RemoteIp = "10.78.0.2";
    private const int Assigned = 31005;
    private const int NotAssigned = 31006;

    private readonly string _id = Guid.NewGuid().ToString("N")[..6];
    private readonly string _state = Path.Combine(Path.GetTempPath(), "harrier-pm-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<string> _namespaces = [];
    private readonly List<Process> _processes = [];

    private string HostNs => "hpm-host-" + _id;

    private string RemoteNs => "hpm-rem-" + _id;

    private string TaskNs => "hpm-task-" + _id;

    private string Veth => "hvpm" + _id;

    private EphemeralPortAllocator Ports => new([(20480, 20543)], 32, _state);

    public async ValueTask InitializeAsync()
    {
        if (Missing() is not null)
        {
            return;
        }
        foreach (var ns in new[] { HostNs, RemoteNs, TaskNs })
        {
            await NetworkNamespaces.CreateAsync(ns, CancellationToken.None);
            _namespaces.Add(ns);
        }
        await HostCommand.RunAsync("ip", ["-n", HostNs, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", RemoteNs]);
        await HostCommand.RunAsync("ip", ["-n", HostNs, "-batch", "-"], $"addr add {HostIp}/24 dev eth0\nlink set eth0 up\n");
        await HostCommand.RunAsync("ip", ["-n", RemoteNs, "-batch", "-"], $"addr add {RemoteIp}/24 dev eth0\nlink set eth0 up\n");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes)
        {
            try
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            p.Dispose();
        }
        foreach (var ns in _namespaces)
        {
            await NetworkNamespaces.DeleteAsync(ns);
        }
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [Fact]
    public async Task Attach_OutboundConnections_LeaveFromTheTasksEphemeralBlockAndGetReplies()
    {
        var (_, range) = await AttachAsync(null);
        var listener = Start(RemoteNs, "python3", "-u", "-c",
            "import socket\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\ns.bind(('0.0.0.0',7000))\ns.listen(16)\n"
            + "for i in range(5):\n c,a=s.accept()\n print(a[1])\n c.sendall(b'pong')\n c.close()\n");
        await WaitListeningAsync(RemoteNs, 7000);

        for (var i = 0; i < 5; i++)
        {
            var (code, output) = await ExecAsync(TaskNs, "/bin/busybox", "nc", "-w", "3", RemoteIp, "7000");
            (code, output).ShouldBe((0, "pong"), "the reply must come back to the task");
        }

        var ports = (await listener.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToList();
        ports.Count.ShouldBe(5);
        ports.ShouldAllBe(p => p >= range.Block.Begin && p <= range.Block.End, $"peer ports {string.Join(',', ports)} outside {range.Block}");
    }

    [Fact]
    public async Task Attach_ListenerOnAnotherPort_UnreachableWhileTheAssignedPortAnswersEveryone()
    {
        await AttachAsync(null);
        Start(TaskNs, "/bin/busybox", "nc", "-ll", "-p", Assigned.ToString(CultureInfo.InvariantCulture), "-e", "/bin/busybox", "echo", "assigned");
        Start(TaskNs, "/bin/busybox", "nc", "-ll", "-p", NotAssigned.ToString(CultureInfo.InvariantCulture), "-e", "/bin/busybox", "echo", "other");
        await WaitListeningAsync(TaskNs, Assigned);
        await WaitListeningAsync(TaskNs, NotAssigned);

        (await ExecAsync(RemoteNs, "/bin/busybox", "nc", "-w", "3", HostIp, Port(Assigned))).ShouldBe((0, "assigned"));
        (await ExecAsync(HostNs, "/bin/busybox", "nc", "-w", "3", HostIp, Port(Assigned))).ShouldBe((0, "assigned"), "from the host itself");
        (await ExecAsync(HostNs, "/bin/busybox", "nc", "-w", "3", "127.0.0.1", Port(Assigned))).ShouldBe((0, "assigned"), "from the host's loopback");

        var (code, output) = await ExecAsync(RemoteNs, "/bin/busybox", "nc", "-w", "3", HostIp, Port(NotAssigned));
        output.ShouldNotContain("other");
        code.ShouldNotBe(0);
        (await ExecAsync(HostNs, "/bin/busybox", "nc", "-w", "3", HostIp, Port(NotAssigned))).Out.ShouldNotContain("other");
    }

    [Fact]
    public async Task Attach_EgressRateLimit_IperfThroughputWithinTenPercentOfTheLimit()
    {
        RequireIperf();
        const long limit = 4 * 1024 * 1024;
        await AttachAsync(limit);
        var rate = await IperfAsync(TaskNs, seconds: 4);
        // The shaper counts whole frames; iperf3 reports TCP payload (1448 of 1514 bytes per full frame).
        var onWire = rate * 1514 / 1448;
        TestContext.Current.TestOutputHelper?.WriteLine($"egress limit {limit} B/s: iperf3 payload {rate:F0} B/s, on the wire {onWire:F0} B/s ({(onWire / limit - 1) * 100:+0.0;-0.0}%)");
        Math.Abs(onWire - limit).ShouldBeLessThan(limit * 0.10, $"payload {rate:F0} B/s, on the wire {onWire:F0} B/s vs limit {limit}");
    }

    [Fact]
    public async Task Attach_NoEgressLimit_ThroughputNotShaped()
    {
        RequireIperf();
        var direct = await IperfAsync(HostNs, seconds: 3);
        await AttachAsync(null);
        var isolated = await IperfAsync(TaskNs, seconds: 3);
        TestContext.Current.TestOutputHelper?.WriteLine($"iperf3 to the remote: host {direct / 1e6:F0} MB/s, task through the isolator {isolated / 1e6:F0} MB/s ({isolated / direct:P0})");
        isolated.ShouldBeGreaterThan(50e6, "an unlimited task is not shaped");
    }

    [Fact]
    public async Task Statistics_AfterSendingABlock_CountersMatchTheTraffic()
    {
        await AttachAsync(null);
        var sink = Start(RemoteNs, "python3", "-c",
            "import socket\ns=socket.socket()\ns.bind(('0.0.0.0',7001))\ns.listen(1)\nc,a=s.accept()\nwhile c.recv(65536): pass\nc.close()\n");
        await WaitListeningAsync(RemoteNs, 7001);
        var before = (await NamespaceStatistics.InterfaceAsync(TaskNs, "eth0"))!;

        const int size = 2_000_000;
        var (code, output) = await ExecAsync(TaskNs, "python3", "-c",
            $"import socket\ns=socket.create_connection(('{RemoteIp}',7001))\ns.sendall(bytes({size}))\ns.shutdown(socket.SHUT_WR)\ns.recv(1)\ns.close()");
        code.ShouldBe(0, output);
        await sink.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var after = (await NamespaceStatistics.InterfaceAsync(TaskNs, "eth0"))!;
        var sent = after.TxBytes - before.TxBytes;
        sent.ShouldBeInRange(size, (long)(size * 1.10), "payload plus headers");
        (after.TxPackets - before.TxPackets).ShouldBeGreaterThan(size / 65536);
        (after.RxBytes - before.RxBytes).ShouldBeGreaterThan(0, "acknowledgements come back");
        (after.RxBytes - before.RxBytes).ShouldBeLessThan(size / 10);
        after.TxDropped.ShouldBe(0);
    }

    [Fact]
    public async Task Detach_AfterAttach_LeavesNoVethFilterRuleOrAllocation()
    {
        var (isolator, range) = await AttachAsync(2 * 1024 * 1024);
        (await isolator.HostSlotsAsync()).ShouldContain(range.Slot);
        (await isolator.Guard.VethsAsync()).ShouldContain(Veth);

        await isolator.DetachAsync(Veth, range.Slot);
        Ports.Release(range.Owner);
        await isolator.DetachAsync(Veth, range.Slot);

        (await new HostNamespace(HostNs).LinkExistsAsync(Veth)).ShouldBeFalse();
        (await isolator.HostPrioritiesAsync()).ShouldAllBe(d => d.Priorities.Count == 0, "no filter left on the host's eth0 or lo");
        (await isolator.Guard.ExistsAsync()).ShouldBeFalse("the guard table goes with its last chain");
        Ports.Allocations().ShouldBeEmpty();
    }

    private async Task<(PortMappingIsolator Isolator, EphemeralPortRange Range)> AttachAsync(long? egress)
    {
        if (Missing() is { } missing)
        {
            Assert.Skip(missing);
        }
        var host = new HostNamespace(HostNs);
        var eth0 = await PublicInterface.DetectAsync(host, null);
        eth0.Name.ShouldBe("eth0");
        var isolator = new PortMappingIsolator(host, eth0, egress);
        await isolator.EnsureHostAsync(CancellationToken.None);
        var range = Ports.Allocate("task-" + _id);
        await isolator.AttachAsync(TaskNs, Veth, range, [Assigned], CancellationToken.None);
        return (isolator, range);
    }

    private async Task<double> IperfAsync(string ns, int seconds)
    {
        var port = 5201 + _processes.Count;
        Start(RemoteNs, "iperf3", "-s", "-1", "-p", Port(port));
        await WaitListeningAsync(RemoteNs, port);
        var (code, output) = await ExecAsync(ns, TimeSpan.FromSeconds(seconds + 15), "iperf3", "-c", RemoteIp, "-p", Port(port), "-t", Port(seconds), "-J");
        code.ShouldBe(0, output);
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble() / 8;
    }

    private Process Start(string ns, params string[] command)
    {
        var p = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", ns, .. command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        })!;
        _processes.Add(p);
        return p;
    }

    private static async Task WaitListeningAsync(string ns, int port)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var (_, output) = await ExecAsync(ns, "ss", "-Hltn", "sport = :" + Port(port));
            if (output.Contains("LISTEN", StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"nothing listens on {port} in {ns}");
    }

    private static Task<(int Code, string Out)> ExecAsync(string ns, params string[] command) => ExecAsync(ns, TimeSpan.FromSeconds(15), command);

    private static async Task<(int Code, string Out)> ExecAsync(string ns, TimeSpan timeout, params string[] command)
    {
        var (code, stdout, stderr) = await HostCommand.TryRunAsync("ip", ["netns", "exec", ns, .. command], stdin: "", timeout: timeout);
        return (code, code == 0 ? stdout.Trim() : (stdout + stderr).Trim());
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string? Missing() =>
        Requirements.Root() ?? Requirements.Binary("ip") ?? Requirements.Binary("tc") ?? Requirements.Binary("nft") ?? Requirements.Binary("python3")
        ?? Requirements.Missing(File.Exists("/bin/busybox"), "busybox-static (/bin/busybox)");

    private static void RequireIperf()
    {
        if (Requirements.Binary("iperf3") is { } missing)
        {
            Assert.Skip(missing);
        }
    }
}
