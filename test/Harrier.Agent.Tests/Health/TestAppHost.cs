using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Harrier.Testing;

namespace Harrier.Agent.Tests.Health;

/// <summary>
/// One harrier-testapp process on a free loopback port, for probes to hit; flips its /health and /ready over HTTP.
/// Disposing kills it by PID.
/// </summary>
internal sealed class TestAppHost : IAsyncDisposable
{
    private readonly Process _process;

    private TestAppHost(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Where the project reference copied the test app.</summary>
    public static string AppDll => Path.Combine(AppContext.BaseDirectory, "harrier-testapp.dll");

    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "/usr/bin/dotnet";

    public static async Task<TestAppHost> StartAsync(params string[] args)
    {
        var port = FreePort();
        var info = new ProcessStartInfo(Dotnet) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(AppDll);
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start harrier-testapp");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new TestAppHost(process, port);
        try
        {
            await WaitListeningAsync(port, TimeSpan.FromSeconds(20));
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static Task WaitListeningAsync(int port, TimeSpan timeout) =>
        Eventually.TrueAsync(
            () =>
            {
                using var client = new TcpClient();
                try
                {
                    client.Connect(IPAddress.Loopback, port);
                    return Task.FromResult(true);
                }
                catch (SocketException)
                {
                    return Task.FromResult(false);
                }
            },
            timeout,
            $"harrier-testapp to listen on {port}");

    /// <summary>POSTs to a control endpoint of an HTTP (not HTTPS) app, e.g. "/health/status/500".</summary>
    public static async Task PostAsync(int port, string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{port}{path}"), null);
        response.EnsureSuccessStatusCode();
    }

    public Task PostAsync(string path) => PostAsync(Port, path);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        _process.Dispose();
    }
}
