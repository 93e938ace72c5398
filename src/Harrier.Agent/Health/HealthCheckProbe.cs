using System.Net;
using System.Net.Sockets;
using Harrier.Core.Apps;
using Harrier.Core.Health;

namespace Harrier.Agent.Health;

/// <summary>
/// Runs one health check once, for every protocol. The timeout (<c>timeoutSeconds</c>) bounds the whole probe; a
/// timeout or connection error is a failure whose cause is the exception message.
/// </summary>
internal static class HealthCheckProbe
{
    public static async Task<ProbeOutcome> RunAsync(HealthCheckSpec spec, int? port, CheckTarget target, TimeProvider time, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(Math.Max(spec.TimeoutSeconds, 1));
        if (spec.Protocol == HealthCheckProtocol.Command)
        {
            return await CommandCheckProbe.RunAsync(spec.Command ?? "", target, timeout, cancellationToken);
        }
        if (port is not { } p)
        {
            return ProbeOutcome.Unhealthy("The health check has no port to probe");
        }
        var address = target.AddressFor(p, spec.IpProtocol == "IPv6");
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            switch (spec.Protocol)
            {
                case HealthCheckProtocol.Tcp or HealthCheckProtocol.MesosTcp:
                    using (var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp))
                    {
                        await socket.ConnectAsync(new IPEndPoint(address, p), linked.Token);
                    }
                    return ProbeOutcome.Healthy;
                default:
                    var tls = spec.Protocol is HealthCheckProtocol.Https or HealthCheckProtocol.MesosHttps;
                    var response = await RawHttpClient.GetAsync(address, p, PathOf(spec), tls, readBody: false, linked.Token);
                    return Judge(spec, response);
            }
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return ProbeOutcome.Unhealthy($"Timed out after {timeout.TotalSeconds:0.###}s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Any other error (refused, reset, TLS, a malformed answer) is a failure with its message as the cause.
            return ProbeOutcome.Unhealthy(e.Message);
        }
    }

    /// <summary>Marathon-run checks default to "/" and gain a leading "/"; Mesos-run checks send the path as given.</summary>
    public static string PathOf(HealthCheckSpec spec)
    {
        var path = spec.Path;
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }
        return HealthKillRule.IsMarathonRun(spec.Protocol) && !path.StartsWith('/') ? "/" + path : path;
    }

    public static ProbeOutcome Judge(HealthCheckSpec spec, RawHttpResponse response) => response.Status switch
    {
        >= 200 and <= 399 => ProbeOutcome.Healthy,
        >= 100 and <= 199 when spec.IgnoreHttp1xx && spec.Protocol == HealthCheckProtocol.Http => ProbeOutcome.Ignored,
        _ => ProbeOutcome.Unhealthy(response.Cause),
    };
}
