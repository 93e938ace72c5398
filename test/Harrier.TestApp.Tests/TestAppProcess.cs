using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Harrier.Testing;
using Shouldly;

namespace Harrier.TestApp.Tests;

/// <summary>One running harrier-testapp on a free loopback port; disposing kills it by PID if it is still alive.</summary>
internal sealed class TestAppProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private TestAppProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public HttpClient Http { get; }

    public bool HasExited => _process.HasExited;

    public IReadOnlyCollection<string> Output => _output;

    /// <summary>Everything the app printed so far, one line each: the message of an assertion on how it ended.</summary>
    public string Transcript => $"harrier-testapp pid {Pid} on port {Port} printed:\n{string.Join('\n', _output)}";

    /// <summary>Path of the app's dll, copied next to the tests by the project reference.</summary>
    public static string AppDll => Path.Combine(AppContext.BaseDirectory, "harrier-testapp.dll");

    /// <summary>Starts the app with <c>--port</c> set to a free port plus <paramref name="args"/>; does not wait for the port.</summary>
    public static TestAppProcess Start(IEnumerable<string>? args = null, IReadOnlyDictionary<string, string>? env = null, bool passPort = true)
    {
        var port = FreePort();
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(AppDll);
        if (passPort)
        {
            info.ArgumentList.Add("--port");
            info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        foreach (var arg in args ?? [])
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start harrier-testapp");
        var app = new TestAppProcess(process, port);
        process.OutputDataReceived += (_, e) => app.Record(e.Data);
        process.ErrorDataReceived += (_, e) => app.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Starts the app and waits (bounded) until it answers on its port.</summary>
    public static async Task<TestAppProcess> StartReadyAsync(params string[] args)
    {
        var app = Start(args);
        try
        {
            await app.WaitUntilListeningAsync(StartTimeout);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public Task WaitUntilListeningAsync(TimeSpan timeout) =>
        Eventually.TrueAsync(
            () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"harrier-testapp exited with {_process.ExitCode}: {string.Join('\n', _output)}");
                }
                return Task.FromResult(IsListening());
            },
            timeout,
            $"harrier-testapp to listen on {Port}",
            TimeSpan.FromMilliseconds(20));

    public bool IsListening()
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Waits (bounded) for the process to end and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        kill.ExitCode.ShouldBe(0, $"kill -{signal} {Pid}");
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string path)
    {
        using var response = await Http.PostAsync(path, null);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
