using Harrier.Dns.Server;
using Microsoft.Extensions.Logging;

namespace Harrier.Host;

/// <summary><c>harrier dns --server URL --dns-port N</c>: the DNS server on its own, serving a server's names (for DNS on
/// every agent, as DC/OS ran dcos-dns on every node).</summary>
internal static class DnsCommand
{
    public const string Usage = """
        Usage: harrier dns --server URL [--dns-port N] [--dns-address ADDR] [--dns-upstream IP[:PORT] ...]
          Answers DNS for a Harrier server's names (*.mesos, *.thisdcos.directory), following its changes; every other
          name goes to the upstream resolvers.

          --server URL           the Harrier (or leading) server (default http://127.0.0.1:8080)
          --dns-port N           port to answer on, UDP and TCP (default 53)
          --dns-address ADDR     address to answer on (default 127.0.0.1)
          --dns-upstream IP[:PORT]         a resolver for every other name (repeatable; default: /etc/resolv.conf's)
          Credentials for a server with authentication: the environment variable MESOSPHERE_HTTP_CREDENTIALS=USER:PASS.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var server = new Uri("http://127.0.0.1:8080/");
        var flags = new DiscoveryFlags { DnsPort = 53, DnsAddress = "127.0.0.1" };
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "-h" or "--help")
            {
                await Console.Out.WriteLineAsync(Usage);
                return 0;
            }
            if (i + 1 >= args.Length)
            {
                await Console.Error.WriteLineAsync($"harrier dns: {args[i]} needs a value (or is unknown)\n\n{Usage}");
                return 64;
            }
            var (flag, value) = (args[i], args[++i]);
            try
            {
                if (flag == "--server")
                {
                    server = Uri.TryCreate(value.EndsWith('/') ? value : value + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                        ? uri : throw new FormatException("must be an http:// or https:// URL");
                }
                else if (flag is "--dns-port" or "--dns-address" or "--dns-upstream")
                {
                    flags = flags.With(flag, value)!;
                }
                else
                {
                    throw new FormatException("unknown flag");
                }
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync($"harrier dns: {flag} {value}: {e.Message}\n\n{Usage}");
                return 64;
            }
        }
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        if (Environment.GetEnvironmentVariable(AuthFlags.EnvironmentVariable) is { Length: > 0 } credentials)
        {
            http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(credentials)));
        }
        using var zones = new RemoteZoneSource(http, server, Console.Error);
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(c =>
        {
            c.SingleLine = true;
            c.TimestampFormat = "HH:mm:ss ";
        }));
        await using var dns = new DnsServer(DnsHosting.Options(flags, flags.DnsAddress!, flags.DnsPort!.Value), zones, loggers.CreateLogger<DnsServer>());
        try
        {
            dns.Start();
        }
        catch (System.Net.Sockets.SocketException e)
        {
            await Console.Error.WriteLineAsync($"harrier dns: cannot listen on {flags.DnsAddress}:{flags.DnsPort}: {e.Message}");
            return 1;
        }
        await Console.Out.WriteLineAsync($"harrier dns: answering on {dns.Endpoint} for {server}");
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
        try
        {
            await zones.RunAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        return 0;
    }
}
