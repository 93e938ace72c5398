using System.Diagnostics;
using System.Globalization;
using Harrier.Testing;

namespace Harrier.Networking.Tests;

/// <summary>
/// What a real-device test makes and must take away again: its namespaces (a "host" and its tasks, named
/// <c>PREFIX-NAME-ID</c>), busybox httpd servers in them, and a state directory; plus the bounded HTTP probe the tests
/// reach the servers with.
/// </summary>
internal sealed class NamespaceLab(string prefix) : IAsyncDisposable
{
    private readonly List<string> _namespaces = [];
    private readonly List<Process> _servers = [];

    public string Id { get; } = Guid.NewGuid().ToString("N")[..6];

    public string State { get; } = Path.Combine(Path.GetTempPath(), $"harrier-{prefix}-" + Guid.NewGuid().ToString("N")[..8]);

    public string HostNs => Name("host");

    public string Name(string name) => $"{prefix}-{name}-{Id}";

    /// <summary>Creates the namespace <see cref="Name"/>(<paramref name="name"/>), removed at dispose.</summary>
    public async Task<string> NamespaceAsync(string name)
    {
        var ns = Name(name);
        await NetworkNamespaces.CreateAsync(ns, CancellationToken.None);
        _namespaces.Add(ns);
        return ns;
    }

    /// <summary>A busybox httpd in <paramref name="ns"/> on <paramref name="port"/> answering <paramref name="body"/>.</summary>
    public void StartServer(string ns, int port, string body)
    {
        var www = Path.Combine(State, "www-" + ns);
        Directory.CreateDirectory(www);
        File.WriteAllText(Path.Combine(www, "index.html"), body + "\n");
        _servers.Add(Process.Start("ip", ["netns", "exec", ns, "/bin/busybox", "httpd", "-f", "-p", port.ToString(CultureInfo.InvariantCulture), "-h", www])!);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            server.Kill();
            await server.WaitForExitAsync();
            server.Dispose();
        }
        foreach (var ns in _namespaces)
        {
            await NetworkNamespaces.DeleteAsync(ns);
        }
        if (Directory.Exists(State))
        {
            Directory.Delete(State, recursive: true);
        }
    }

    public static async Task<string> GetAsync(string ns, string url) =>
        await Eventually.WaitAsync(() => TryGetAsync(ns, url), TimeSpan.FromSeconds(10), "an answer from " + url);

    public static async Task<string?> TryGetAsync(string ns, string url)
    {
        // busybox wget's -T crashes the static build; the command's own limit bounds it.
        var (code, stdout, _) = await HostCommand.TryRunAsync("ip", ["netns", "exec", ns, "/bin/busybox", "wget", "-q", "-O", "-", url], timeout: TimeSpan.FromSeconds(5));
        return code == 0 ? stdout : null;
    }
}
