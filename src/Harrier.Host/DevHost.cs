using Harrier.Agent;
using Harrier.Api;
using Harrier.Server;
using Harrier.Server.Health;
using Harrier.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Harrier.Host;

/// <summary>
/// <c>harrier dev</c>: server, API and one local agent in one process. The agent talks to the server through the
/// same gateway interface a remote agent uses, in-process.
/// Stopping it leaves tasks running; the next start re-adopts them from the agent's checkpoint.
/// </summary>
internal static class DevHost
{
    public static async Task<int> RunAsync(DevOptions o)
    {
        var dataDir = Path.GetFullPath(o.DataDir);
        Directory.CreateDirectory(dataDir);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{o.HttpAddress}:{o.HttpPort}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 8 * 1024 * 1024);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c =>
        {
            c.SingleLine = true;
            c.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHarrierState(s =>
        {
            s.DataDir = dataDir;
            s.MaxVersions = o.MaxVersions;
        });
        builder.Services.AddHarrierServer(s =>
        {
            s.ServicePorts = o.ServicePorts;
            s.RandomSeed = o.Seed;
            s.Advertise = $"{(o.HttpAddress == "0.0.0.0" ? o.Hostname : o.HttpAddress)}:{o.HttpPort}";
            s.Hostname = o.Hostname;
            s.HttpPort = o.HttpPort;
            s.HealthBreaker = new HealthBreakerOptions { Enabled = o.HealthBreaker, FailingShare = o.HealthBreakerShare, MinApps = o.HealthBreakerMinApps };
        });
        builder.Services.AddHarrierApi();
        builder.Services.AddHarrierAgent(a =>
        {
            a.WorkDir = Path.Combine(dataDir, "agent");
            a.Hostname = o.Hostname;
            a.Cpus = o.Cpus;
            a.Mem = o.Mem;
            a.Disk = o.Disk;
            a.Ports = o.Ports;
            a.Driver = o.Driver;
            a.Attributes = o.Attributes;
            a.Role = o.Role;
            a.Gpus = o.Gpus;
        });
        var app = builder.Build();
        app.UseMarathonApi();
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"harrier dev: cannot listen on {o.HttpAddress}:{o.HttpPort}: {e.Message}");
            return 1;
        }
        await Console.Out.WriteLineAsync($"harrier dev: API on http://{o.HttpAddress}:{o.HttpPort}, data in {dataDir}, driver {o.Driver}");
        await app.WaitForShutdownAsync();
        return 0;
    }
}
