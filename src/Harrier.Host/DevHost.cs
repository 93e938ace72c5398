using Harrier.Agent;
using Harrier.Core.Hosting;
using Harrier.Api;
using Harrier.Api.Http;
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
    public static Task<int> RunAsync(DevOptions o) => RunAsync(o, withAgent: true, "harrier dev");

    /// <summary><c>harrier server</c>: the same without the local agent; agents join over HTTP.</summary>
    public static Task<int> RunServerAsync(DevOptions o) => RunAsync(o, withAgent: false, "harrier server");

    private static async Task<int> RunAsync(DevOptions o, bool withAgent, string verb)
    {
        var auth = o.Auth.WithEnvironment(Environment.GetEnvironmentVariable);
        if (auth.RefusalFor(verb, o.HttpAddress) is { } refusal)
        {
            await Console.Error.WriteLineAsync(refusal);
            return 64;
        }
        var dataDir = Path.GetFullPath(o.DataDir);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = DaemonBuilderDefaults.Args, ContentRootPath = DaemonBuilderDefaults.ContentRoot });
        builder.WebHost.UseUrls($"{ServerSecurity.Scheme(o)}://{o.HttpAddress}:{o.HttpPort}");
        if (ServerSecurity.Configure(builder, o) is { } securityError)
        {
            await Console.Error.WriteLineAsync($"{verb}: {securityError}");
            return 64;
        }
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 8 * 1024 * 1024;
            // Above the API's own limits (RequestGuard answers those with Marathon's JSON); Kestrel's bodiless 414/431 only beyond.
            k.Limits.MaxRequestLineSize = RequestGuardOptions.KestrelRequestLineSize;
            k.Limits.MaxRequestHeadersTotalSize = RequestGuardOptions.KestrelHeadersSize;
            k.Limits.MaxRequestHeaderCount = RequestGuardOptions.KestrelHeaderCount;
        });
        builder.Services.AddSingleton(new RequestGuardOptions { LoopbackHostsOnly = RequestGuardOptions.IsLoopbackAddress(o.HttpAddress) });
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
            s.RecoverFromAgents = o.RecoverFromAgents;
            s.OtherState = [Path.Combine(dataDir, "agent", "agent.json")];
        });
        // harrier dev's one agent offers its CNI networks from the start: an app on one is accepted (not a 422 for an
        // unknown network) even before the agent's first registration reaches the server. Filled in once it is built.
        IReadOnlySet<string> localNetworks = new HashSet<string>();
        builder.Services.AddHarrierServer(s =>
        {
            s.ServicePorts = o.ServicePorts;
            s.RandomSeed = o.Seed;
            s.Advertise = $"{(o.HttpAddress == "0.0.0.0" ? o.Hostname : o.HttpAddress)}:{o.HttpPort}";
            s.Hostname = o.Hostname;
            s.HttpPort = o.HttpPort;
            s.AgentTimeout = o.AgentTimeout;
            s.OrphanGracePeriod = o.OrphanGrace;
            s.BalancerDrainTimeout = o.BalancerDrainTimeout;
            s.AllowedUsers = o.AllowedUsers;
            s.MaxInstancesPerApp = o.MaxInstancesPerApp;
            s.NewGroupEnforceRole = o.NewGroupEnforceRole;
            s.Overlays = o.Overlays ?? [Harrier.Core.Networks.OverlayNetwork.Default];
            var overlays = s.Overlays;
            s.IsClusterNetwork = name => overlays.Any(n => n.Name == name) || localNetworks.Contains(name);
            s.HoldOrphans = o.RecoverFromAgents;
            s.Discovery = new Harrier.Server.Discovery.DiscoveryOptions
            {
                VipCidr = o.Discovery.VipCidr,
                OnlyHealthy = o.Discovery.DnsOnlyHealthy,
                IpSources = o.Discovery.DnsIpSources,
                DnsPort = o.Discovery.DnsPort,
                DnsListener = o.Discovery.DnsPort is null ? null : DnsHosting.Options(o.Discovery, o.HttpAddress, 0).Address.ToString(),
            };
            s.AgentReconcileInterval = o.AgentReconcileInterval;
            s.HealthBreaker = new HealthBreakerOptions { Enabled = o.HealthBreaker, FailingShare = o.HealthBreakerShare, MinApps = o.HealthBreakerMinApps };
        });
        builder.Services.AddHarrierApi(auth.Apply);
        DnsHosting.Add(builder.Services, o.Discovery, o.HttpAddress);
        if (withAgent)
        {
            AddAgent(builder.Services, o, Path.Combine(dataDir, "agent"));
        }
        var app = builder.Build();
        if (withAgent)
        {
            // Nobody over HTTP may take the local agent's id without proving it.
            var agent = app.Services.GetRequiredService<HarrierAgent>();
            app.Services.GetRequiredService<Harrier.Api.Agents.AgentSessions>().Reserve(agent.AgentId);
            localNetworks = agent.Info.Networks.ToHashSet(StringComparer.Ordinal);
        }

        if (await StateStart.OpenAsync(app, verb) is { } refused)
        {
            return refused;
        }
        app.UseMarathonApi();
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"{verb}: cannot listen on {o.HttpAddress}:{o.HttpPort}: {e.Message}");
            return 1;
        }
        if (await StateStart.LoadedAsync(app, verb) is { } failed)
        {
            return failed;
        }
        await Console.Out.WriteLineAsync(withAgent
            ? $"{verb}: API on {ServerSecurity.Scheme(o)}://{o.HttpAddress}:{o.HttpPort}, data in {dataDir}, driver {o.Driver}"
            : $"{verb}: API on {ServerSecurity.Scheme(o)}://{o.HttpAddress}:{o.HttpPort}, data in {dataDir}; agents join with harrier agent --server URL");
        if (!auth.Enabled)
        {
            await Console.Out.WriteLineAsync(AuthFlags.Hint(verb));
        }
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>The local agent's options from the flags (shared by <c>harrier dev</c> and <c>harrier agent</c>).</summary>
    internal static void AddAgent(IServiceCollection services, DevOptions o, string workDir) =>
        services.AddHarrierAgent(a =>
        {
            a.WorkDir = workDir;
            a.Hostname = o.Hostname;
            a.Cpus = o.Cpus;
            a.Mem = o.Mem;
            a.Disk = o.Disk;
            a.Ports = o.Ports;
            a.Driver = o.Driver;
            a.Attributes = o.Attributes;
            a.Role = o.Role;
            a.Gpus = o.Gpus;
            a.RegistryMirrors = o.RegistryMirrors;
            a.InsecureRegistries = o.InsecureRegistries;
            a.DockerConfigPath = o.DockerConfig;
            a.DockerHub = o.DockerHub;
            a.ImageGcThresholdBytes = o.ImageGcThreshold;
            a.OciRuntime = o.OciRuntime;
            a.DefaultUser = o.DefaultUser;
            a.BridgeCidr = o.BridgeCidr;
            a.Isolation = o.Isolation;
            a.PortMapping = o.PortMapping;
            a.CniConfigDir = o.CniConfigDir;
            a.CniPluginDirs = o.CniPluginDirs;
            // harrier dev's tasks ask its own DNS server unless told otherwise.
            a.TaskDns = o.Discovery.TaskDns ?? (o.Discovery.DnsPort is { } port ? new System.Net.IPEndPoint(DnsHosting.Options(o.Discovery, o.HttpAddress, port).Address, port) : null);
        });
}
