using Microsoft.Extensions.Logging;

namespace Harrier.Dns.Server;

/// <summary>Log messages of the DNS server (event ids 1701–1719). Per-packet problems go through <see cref="LogBudget"/>.</summary>
internal static partial class DnsServerLog
{
    [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "DNS server listening on {Endpoint} (UDP and TCP); forwarding to {Upstreams}")]
    public static partial void Listening(ILogger logger, string endpoint, string upstreams);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "DNS query from {Client} failed: {Problem}")]
    public static partial void QueryFailed(ILogger logger, string client, string problem);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Warning, Message = "{Suppressed} further DNS problems in the last minute were not logged")]
    public static partial void Suppressed(ILogger logger, long suppressed);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Debug, Message = "Upstream {Upstream} did not answer: {Problem}")]
    public static partial void UpstreamFailed(ILogger logger, string upstream, string problem);
}
