using Harrier.Agent;
using Harrier.Core.Hosting;
using Harrier.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Harrier.Host;

/// <summary>
/// <c>harrier agent --server URL</c>: one agent in its own process, joined to a server over HTTP
/// (<see cref="HttpAgentGateway"/>). Like the agent inside <c>harrier dev</c>, stopping it leaves tasks running and
/// the next start re-adopts them from its checkpoint in <c>--work-dir</c>.
/// </summary>
internal static class AgentHost
{
    public static async Task<int> RunAsync(DevOptions o)
    {
        if (o.Server is not { } server)
        {
            await Console.Error.WriteLineAsync("harrier agent: --server URL is required (the harrier server to join)");
            return 64;
        }
        var workDir = Path.GetFullPath(o.AgentWorkDir);
        try
        {
            Harrier.State.DataDirectory.EnsureWritable(workDir, "work directory");
        }
        catch (Harrier.State.StateStoreException e)
        {
            await Console.Error.WriteLineAsync($"harrier agent: {e.Message}");
            return StateStart.ExitCode;
        }
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = DaemonBuilderDefaults.Args, ContentRootPath = DaemonBuilderDefaults.ContentRoot });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c =>
        {
            c.SingleLine = true;
            c.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        HttpAgentGateway gateway;
        try
        {
            gateway = new HttpAgentGateway(server, AgentTls.CreateHandler(o.CaCert, o.TlsClientCert, o.TlsClientKey), disposeHandler: true)
            {
                JoinToken = o.AgentTokenFile is { } tokenFile ? ServerSecurity.ReadToken(tokenFile) : null,
                Identity = AgentIdentity.LoadOrCreate(workDir),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or InvalidDataException or InvalidOperationException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"harrier agent: {e.Message}");
            return 64;
        }
        builder.Services.AddSingleton<IAgentGateway>(gateway);
        DevHost.AddAgent(builder.Services, o, workDir);
        using var host = builder.Build();
        await host.StartAsync();
        await Console.Out.WriteLineAsync($"harrier agent: joined {server}, work dir {workDir}, driver {o.Driver}");
        await host.WaitForShutdownAsync();
        return 0;
    }
}
