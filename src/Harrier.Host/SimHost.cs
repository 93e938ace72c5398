using System.Globalization;
using Harrier.Agent;
using Harrier.Core.Resources;
using Microsoft.Extensions.Logging;

namespace Harrier.Host;

/// <summary>
/// <c>harrier sim --server URL --agents N</c>: N agents in one process for scale tests and benchmarks. Each is the real
/// <see cref="HarrierAgent"/> state machine (registration, command stream, acknowledged status updates, checkpoint,
/// heartbeats) over HTTP with the fake driver, which runs nothing. They share one connection pool. Attribute values
/// may use <c>{i%K}</c> (the agent's index modulo K), e.g. <c>rack:r{i%10};zone:z{i%3}</c>, so constraints bite.
/// </summary>
internal static class SimHost
{
    public const string Usage = """
        Usage: harrier sim --server URL --agents N [--cpus 8] [--mem 32768] [--disk 100000] [--ports 31000-32000]
                           [--attributes 'rack:r{i%10}'] [--work-dir DIR] [--hostname-prefix sim-]
        Runs N simulated agents (real agent logic, fake driver) against a harrier server. Work dir defaults to a
        directory under /dev/shm (checkpoints of thousands of agents); it is removed on exit.
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        SimOptions o;
        try
        {
            o = SimOptions.Parse(args);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            await Console.Error.WriteLineAsync($"harrier sim: {e.Message}\n\n{Usage}");
            return 64;
        }
        if (o.Help)
        {
            await Console.Out.WriteLineAsync(Usage);
            return 0;
        }
        var workDir = o.WorkDir ?? Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"harrier-sim-{Environment.ProcessId}");
        Directory.CreateDirectory(workDir);
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(LogLevel.Error));
        // One connection per agent's command stream, plus a bounded pool for their posts: about agents + 1,024 open files.
        using var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = o.Agents + 1024 };
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            stop.Cancel();
        });

        var agents = new List<HarrierAgent>(o.Agents);
        try
        {
            for (var i = 0; i < o.Agents && !stop.IsCancellationRequested; i++)
            {
                var name = $"{o.HostnamePrefix}{i:D5}";
                var options = new AgentOptions
                {
                    WorkDir = Path.Combine(workDir, name),
                    Hostname = name,
                    Cpus = o.Cpus,
                    Mem = o.Mem,
                    Disk = o.Disk,
                    Ports = o.Ports,
                    Attributes = o.Attributes.ToDictionary(a => a.Key, a => Expand(a.Value, i)),
                    Driver = "fake",
                    // Spread the agents' resends and reconnects so they do not all fire in the same instant.
                    StatusUpdateRetryInterval = TimeSpan.FromSeconds(10),
                };
                var gateway = new HttpAgentGateway(o.Server, handler, disposeHandler: false) { Identity = AgentIdentity.LoadOrCreate(options.WorkDir) };
                var agent = new HarrierAgent(options, gateway, loggers.CreateLogger<HarrierAgent>(), TimeProvider.System);
                agents.Add(agent);
                await agent.StartAsync(stop.Token);
                if (i % 500 == 499)
                {
                    await Console.Out.WriteLineAsync($"harrier sim: {i + 1} agents started");
                }
            }
            await Console.Out.WriteLineAsync($"harrier sim: {agents.Count} agents against {o.Server}, work dir {workDir}");
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            await Task.WhenAll(agents.Select(a => a.StopAsync(CancellationToken.None)));
            foreach (var agent in agents)
            {
                agent.Dispose();
            }
            if (o.WorkDir is null)
            {
                Directory.Delete(workDir, recursive: true);
            }
        }
        return 0;
    }

    /// <summary><c>{i%K}</c> → the index modulo K.</summary>
    internal static string Expand(string template, int index)
    {
        var text = template;
        int start;
        while ((start = text.IndexOf("{i%", StringComparison.Ordinal)) >= 0)
        {
            var end = text.IndexOf('}', start);
            if (end < 0)
            {
                throw new FormatException($"unclosed {{i%…}} in '{template}'");
            }
            var modulus = int.Parse(text[(start + 3)..end], CultureInfo.InvariantCulture);
            if (modulus <= 0)
            {
                throw new FormatException($"modulus must be positive in '{template}'");
            }
            text = text[..start] + (index % modulus).ToString(CultureInfo.InvariantCulture) + text[(end + 1)..];
        }
        return text;
    }
}
