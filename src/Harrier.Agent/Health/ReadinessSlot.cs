using System.Net;
using Harrier.Core.Health;
using Harrier.Protocol;

namespace Harrier.Agent.Health;

/// <summary>
/// The readiness check of a task: GET protocol://127.0.0.1:port/path every interval from Running (the first one right
/// away) until the first ready answer. Ready means the status is in <c>httpStatusCodesForReady</c>.
/// </summary>
internal sealed class ReadinessSlot(TaskHealthSession session, TaskReadinessCheck check) : CheckSlot(session)
{
    public TaskReadinessCheck Check { get; } = check;

    /// <summary>The latest result (null before the first probe); guarded by the session.</summary>
    public ReadinessCheckResult? Result { get; set; }

    public override TimeSpan Interval => TimeSpan.FromSeconds(HealthCheckState.IntervalSeconds(Check.Spec.IntervalSeconds));

    public override async Task<bool> RunOnceAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var result = await ProbeAsync(time, cancellationToken);
        Session.Apply(this, result);
        return !result.Ready;
    }

    private async Task<ReadinessCheckResult> ProbeAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var spec = Check.Spec;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(spec.TimeoutSeconds, 1)), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var tls = string.Equals(spec.Protocol, "HTTPS", StringComparison.OrdinalIgnoreCase);
            var path = spec.Path.StartsWith('/') ? spec.Path : "/" + spec.Path;
            var response = await RawHttpClient.GetAsync(Session.Target.AddressFor(Check.Port, ipv6: false), Check.Port, path, tls, readBody: spec.PreserveLastResponse, linked.Token);
            return new ReadinessCheckResult
            {
                Name = spec.Name,
                Ready = spec.HttpStatusCodesForReady.Contains(response.Status),
                LastResponse = spec.PreserveLastResponse ? new ReadinessResponse(response.Status, response.ContentType ?? "", response.Body ?? "") : null,
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // No answer: not ready, and no response to keep.
            return new ReadinessCheckResult { Name = spec.Name, Ready = false };
        }
    }
}
