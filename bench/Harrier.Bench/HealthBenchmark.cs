using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Harrier.Agent.Health;
using Harrier.Core.Apps;
using Harrier.Core.Collections;
using Harrier.Core.Ids;
using Harrier.Core.Resources;
using Harrier.Core.Time;
using Harrier.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Harrier.Bench;

/// <summary>
/// The agent's health checker alone: N tasks with one Marathon HTTP check each (interval 1 s) against a few real
/// harrier-testapp processes (the checks are spread over them). After a warm-up it measures, over S seconds, the
/// completed checks per second and this process's CPU time per completed check (Process.TotalProcessorTime).
/// </summary>
internal static class HealthBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var tasks = args.Int("tasks", 1000);
        var seconds = args.Int("seconds", 20);
        var appCount = args.Int("apps", 4);
        var apps = new List<(Process Process, int Port)>();
        try
        {
            for (var i = 0; i < appCount; i++)
            {
                apps.Add(StartApp());
            }
            foreach (var (_, port) in apps)
            {
                await WaitListeningAsync(port);
            }
            long reports = 0;
            using var scheduler = new HealthCheckScheduler(new AgentId("bench"), (_, _) =>
            {
                Interlocked.Increment(ref reports);
                return ValueTask.CompletedTask;
            }, TimeProvider.System, NullLogger.Instance);
            var now = DateTimeOffset.UtcNow;
            var target = new CheckTarget(new Dictionary<string, string>(), Path.GetTempPath());
            for (var i = 0; i < tasks; i++)
            {
                // Tasks became Running at different times, so their checks come due spread over the second.
                var since = Timestamp.From(now - TimeSpan.FromSeconds((double)i / tasks));
                scheduler.Start(Launch(i, apps[i % apps.Count].Port), target, since);
            }
            await Task.Delay(TimeSpan.FromSeconds(3));
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var probes0 = scheduler.ProbesCompleted;
            var wall = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpu0;
            var probes = scheduler.ProbesCompleted - probes0;
            var elapsed = wall.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"health: {tasks} HTTP checks at 1 s over {apps.Count} test apps, {elapsed:0.0} s measured: {probes / elapsed:0} checks/s (target {tasks}), " +
                $"CPU {cpu.TotalMilliseconds:0} ms = {cpu.TotalMilliseconds * 1000 / Math.Max(probes, 1):0} µs per check ({cpu.TotalSeconds / elapsed * 100:0.0}% of one core), " +
                $"reports sent {Interlocked.Read(ref reports)} (first successes only when all stay healthy)"));
            return 0;
        }
        finally
        {
            foreach (var (process, _) in apps)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
                process.Dispose();
            }
        }
    }

    private static TaskLaunch Launch(int i, int port)
    {
        var app = PathId.Parse("/bench/health");
        var instance = InstanceId.For(app, new Guid(i, 0, 0, new byte[8]));
        var check = new HealthCheckSpec { Protocol = HealthCheckProtocol.Http, Path = "/health", IntervalSeconds = 1, TimeoutSeconds = 5, GracePeriodSeconds = 300 };
        return new TaskLaunch
        {
            TaskId = instance.TaskFor(1),
            InstanceId = instance,
            AppId = app,
            AppVersion = new Timestamp(1_700_000_000_000),
            Shell = "true",
            Resources = new ResourceVector(0.1, 32, 0),
            HealthChecks = new ValueList<TaskHealthCheck>([new TaskHealthCheck(0, check, port)]),
        };
    }

    private static (Process, int) StartApp()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "harrier-testapp.dll"));
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start harrier-testapp");
        // The app logs one line per request; drain it so the pipe never fills.
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return (process, port);
    }

    private static async Task WaitListeningAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"harrier-testapp did not listen on {port}");
    }
}
