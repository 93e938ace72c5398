using System.Security.Cryptography;
using System.Text;
using Harrier.E2E.Tests.Cluster;
using Harrier.Testing;
using Harrier.Testing.Images;
using Xunit;

namespace Harrier.E2E.Tests.Networking;

/// <summary>
/// <c>harrier dev</c> inside a network namespace this test makes (joined to a test bridge on the host), with a
/// registry holding the guides' images on the bridge's host address. Every device, route and rule Harrier makes lives
/// in that namespace and goes with it; nothing reaches the machine's own network.
/// </summary>
internal sealed class NetworkTestHost : IAsyncDisposable
{
    private readonly IReadOnlyList<string> _namespacesBefore = TaskNamespaces();
    private readonly string _work = Path.Combine(Path.GetTempPath(), "harrier-e2e-net-" + Guid.NewGuid().ToString("N")[..8]);

    private NetworkTestHost(TestNetwork net, string ns, string address, TestRegistry registry)
    {
        Net = net;
        Namespace = ns;
        Address = address;
        Registry = registry;
    }

    public TestNetwork Net { get; }

    /// <summary>The namespace harrier dev runs in (its "host").</summary>
    public string Namespace { get; }

    /// <summary>The namespace's address on the test bridge: the agent's hostname.</summary>
    public string Address { get; }

    public TestRegistry Registry { get; }

    public HarrierDev? Dev { get; private set; }

    /// <summary>Namespaces of tasks the test saw: whatever is left of them at the end is removed (a failed test leaks nothing).</summary>
    public HashSet<string> SeenNamespaces { get; } = [];

    /// <summary>Skips (or fails under CI) when the machine cannot run this.</summary>
    public static void Require()
    {
        var missing = Requirements.Root() ?? Requirements.Binary("ip") ?? Requirements.Binary("nft") ?? Requirements.Binary("crun")
            ?? Requirements.Binary("docker-registry") ?? Requirements.Binary("skopeo")
            ?? Requirements.Missing(File.Exists("/bin/busybox"), "busybox-static (/bin/busybox)");
        if (missing is not null)
        {
            Assert.Skip(missing);
        }
    }

    public static async Task<NetworkTestHost> StartAsync()
    {
        var net = await TestNetwork.CreateAsync();
        try
        {
            var (ns, address) = await net.AddHostAsync(0);
            var registry = await TestRegistry.StartAsync(address: net.HostAddress);
            var host = new NetworkTestHost(net, ns, address, registry);
            await GuideImages.PushAllAsync(registry, host._work);
            return host;
        }
        catch
        {
            await net.DisposeAsync();
            throw;
        }
    }

    public async Task<HarrierDev> StartDevAsync(params string[] args)
    {
        // nsenter, not `ip netns exec`: that remounts /sys, hiding the cgroup hierarchies containers need.
        Dev = await HarrierDev.StartUnderAsync(["nsenter", "--net=/run/netns/" + Namespace, "--"],
        [
            "--http-address", Address, "--insecure", "--hostname", Address,
            "--registry-mirror", Registry.Url.ToString().TrimEnd('/'), "--docker-hub", "none", .. args,
        ]);
        return Dev;
    }

    /// <summary>Waits for <paramref name="count"/> running tasks; a timeout says why the launches failed.</summary>
    public static async Task<System.Text.Json.Nodes.JsonArray> WaitForRunningAsync(HarrierDev dev, string app, int count)
    {
        try
        {
            return await dev.WaitForRunningAsync(app, count, TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException e)
        {
            var failure = (await dev.GetJsonAsync("/v2/apps" + app))["app"]?["lastTaskFailure"]?.ToJsonString();
            throw new TimeoutException(e.Message + "; last failure: " + failure, e);
        }
    }

    /// <summary>Runs a command inside <paramref name="ns"/> (the test host's namespace by default).</summary>
    public Task<(int Code, string Out)> ExecAsync(string? ns, params string[] command) => ExecInAsync(ns ?? Namespace, command);

    /// <summary>GET through busybox wget from inside a namespace (the test host's by default), retried for a while.</summary>
    public Task<string> WgetAsync(string? ns, string url) => WgetInAsync(ns ?? Namespace, url);

    /// <summary>Runs a command inside <paramref name="ns"/>, killed after 10 s (exit code -1 then).</summary>
    public static async Task<(int Code, string Out)> ExecInAsync(string ns, params string[] command)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ip", ["netns", "exec", ns, .. command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = p.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = p.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            return (-1, await stdout + "timed out after 10 s: " + await stderr);
        }
        return (p.ExitCode, await stdout + await stderr);
    }

    /// <summary>GET through busybox wget (its -T crashes the static build) from inside a namespace, tried for up to a
    /// minute; what wget said when it keeps failing.</summary>
    public static async Task<string> WgetInAsync(string ns, string url)
    {
        var output = "";
        for (var attempt = 0; attempt < 6; attempt++)
        {
            int code;
            (code, output) = await ExecInAsync(ns, "/bin/busybox", "wget", "-q", "-O", "-", url);
            if (code == 0)
            {
                return output;
            }
            await Task.Delay(1000);
        }
        return $"wget {url} in {ns} failed: {output}";
    }

    /// <summary>The distinct bodies (task ids) answering new connections to <paramref name="url"/> from inside
    /// <paramref name="ns"/>, over up to <paramref name="attempts"/> GETs, stopping once <paramref name="expected"/>
    /// were seen.</summary>
    public static async Task<string[]> DistinctBodiesAsync(string ns, string url, int expected, int attempts)
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < attempts && seen.Count < expected; i++)
        {
            var (code, body) = await ExecInAsync(ns, "/bin/busybox", "wget", "-q", "-O", "-", url);
            if (code == 0)
            {
                seen.Add(body.Trim());
            }
        }
        return [.. seen.Order()];
    }

    /// <summary>Deletes the app and waits until its tasks and every task namespace the test saw are gone.</summary>
    public async Task DeleteAppAsync(string appId)
    {
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Dev!.SendAsync(HttpMethod.Delete, "/v2/apps" + appId)).Status);
        await Eventually.TrueAsync(async () =>
            (await Dev.GetJsonAsync("/v2/tasks"))["tasks"]!.AsArray().Count == 0 && SeenNamespaces.All(ns => !File.Exists("/run/netns/" + ns)),
            TimeSpan.FromSeconds(60), "the tasks and their namespaces to go");
    }

    /// <summary>The namespace an agent makes for a task (the agent's naming rule).</summary>
    public static string TaskNamespace(System.Text.Json.Nodes.JsonNode task) =>
        "harrier-" + Hash(task["slaveId"]!.GetValue<string>(), 6) + "-" + Hash(task["id"]!.GetValue<string>(), 12);

    private static string Hash(string text, int length) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..length];

    public static IReadOnlyList<string> TaskNamespaces() =>
        Directory.Exists("/run/netns") ? [.. Directory.EnumerateFiles("/run/netns", "harrier-*").Select(Path.GetFileName).OfType<string>()] : [];

    public async ValueTask DisposeAsync()
    {
        if (Dev is not null)
        {
            await Dev.DisposeAsync();
        }
        await Registry.DisposeAsync();
        // Task namespaces that appeared while this test ran (E2E tests run one at a time) go too: a failed test leaks nothing.
        foreach (var ns in TaskNamespaces().Except(_namespacesBefore).Concat(SeenNamespaces).Distinct())
        {
            if (File.Exists("/run/netns/" + ns))
            {
                using var p = System.Diagnostics.Process.Start("ip", ["netns", "del", ns]);
                await p.WaitForExitAsync();
            }
        }
        await Net.DisposeAsync();
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }
}
