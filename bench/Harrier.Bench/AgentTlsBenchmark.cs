using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Harrier.Agent;

namespace Harrier.Bench;

/// <summary>
/// The cost of TLS on the agent protocol: <c>harrier server</c> over plain HTTP and over HTTPS (a test CA and a P-256
/// server certificate made here), and N agent registrations each on a fresh connection (what an agent pays when it
/// connects or reconnects: TCP, then the TLS handshake, then the request), timed from the client with the agent's own
/// handler (<see cref="AgentTls.CreateHandler"/>, trusting the CA). The difference of the medians is the handshake's
/// cost; registrations on one kept-alive connection show the steady state, and a <c>/ping</c> per new connection
/// shows the handshake without the registration's state commit.
///   dotnet run -c Release --project bench/Harrier.Bench -- agent-tls [--registrations 200] [--timeout 300]
/// </summary>
internal static class AgentTlsBenchmark
{
    public static Task<int> RunAsync(BenchArgs args) => BoundedRun.RunAsync(args, "agent-tls", async (work, token) =>
    {
        var n = args.Int("registrations", 200);
        Directory.CreateDirectory(work);
        using var pki = Harrier.Testing.Tls.TestCertificates.Create("bench CA");
        var (ca, cert, key) = (pki.CaCert, pki.ServerCert, pki.ServerKey);
        await Console.Out.WriteLineAsync($"agent-tls: {n} registrations per mode, each on a new connection ({Stats.LoadAverage()})");
        foreach (var tls in new[] { false, true })
        {
            var port = FreePort();
            string[] flags = tls ? ["--tls-cert", cert, "--tls-key", key] : [];
            using var server = Start(["server", "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", Path.Combine(work, tls ? "https" : "http"), .. flags]);
            try
            {
                var url = new Uri($"{(tls ? "https" : "http")}://127.0.0.1:{port}/");
                await WaitForPingAsync(url, ca, token);
                var fresh = new List<double>(n);
                for (var i = 0; i < n; i++)
                {
                    using var client = new HttpClient(AgentTls.CreateHandler(ca, null, null)) { BaseAddress = url };
                    fresh.Add(await RegisterAsync(client, $"bench-{(tls ? "s" : "p")}-{i}", token));
                }
                var pings = new List<double>(n);
                for (var i = 0; i < n; i++)
                {
                    using var client = new HttpClient(AgentTls.CreateHandler(ca, null, null)) { BaseAddress = url };
                    var started = Stopwatch.GetTimestamp();
                    using var pong = await client.GetAsync("ping", token);
                    pings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                using var kept = new HttpClient(AgentTls.CreateHandler(ca, null, null)) { BaseAddress = url };
                await RegisterAsync(kept, "bench-warm", token);
                var reused = new List<double>(n);
                for (var i = 0; i < n; i++)
                {
                    reused.Add(await RegisterAsync(kept, $"bench-{(tls ? "s" : "p")}-kept-{i}", token));
                }
                await Console.Out.WriteLineAsync($"  {(tls ? "https" : "http "),-5} new connection: {Stats.Summary(fresh)}");
                await Console.Out.WriteLineAsync($"  {(tls ? "https" : "http "),-5} kept-alive:     {Stats.Summary(reused)}");
                await Console.Out.WriteLineAsync($"  {(tls ? "https" : "http "),-5} /ping, new connection (no state commit): {Stats.Summary(pings)}");
            }
            finally
            {
                server.Kill();
                await server.WaitForExitAsync(CancellationToken.None);
            }
        }
        return 0;
    });

    private static async Task<double> RegisterAsync(HttpClient client, string id, CancellationToken token)
    {
        var body = $$$"""{"protocolVersion":5,"agent":{"id":"{{{id}}}","hostname":"127.0.0.9","resources":{"cpus":0,"mem":0,"disk":0,"gpus":0}},"tasks":[]}""";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync("harrier/v1/agents/register", content, token);
        response.EnsureSuccessStatusCode();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task WaitForPingAsync(Uri url, string ca, CancellationToken token)
    {
        using var client = new HttpClient(AgentTls.CreateHandler(ca, null, null)) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await client.GetAsync("ping", token)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(50, token);
        }
        throw new TimeoutException("harrier server did not start");
    }

    private static Process Start(string[] args)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("HARRIER_BIN") ?? Path.Combine(AppContext.BaseDirectory, "../../../../../src/Harrier.Host/bin/Release/net10.0/harrier"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
