using System.Net;
using Harrier.Dns.Server;
using Harrier.Dns.Zones;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Harrier.Host;

/// <summary>Runs the DNS server (<c>--dns-port</c>) over the zone the server's discovery catalog keeps, for as long as
/// the host runs.</summary>
internal sealed class DnsHosting(DnsServerOptions options, IZoneSource zones, ILogger<DnsServer> logger) : IHostedService, IAsyncDisposable
{
    private DnsServer? _server;

    public static void Add(IServiceCollection services, DiscoveryFlags flags, string httpAddress)
    {
        if (flags.DnsPort is not { } port)
        {
            return;
        }
        services.AddSingleton(Options(flags, httpAddress, port));
        services.AddHostedService<DnsHosting>();
    }

    public static DnsServerOptions Options(DiscoveryFlags flags, string httpAddress, int port) => new()
    {
        Address = IPAddress.Parse(flags.DnsAddress ?? (IPAddress.TryParse(httpAddress, out _) ? httpAddress : "127.0.0.1")),
        Port = port,
        Upstreams = flags.DnsUpstreams,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _server = new DnsServer(options, zones, logger);
        _server.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }
}
