using System.Net;

namespace Harrier.LoadBalancer.Zdd;

/// <summary>An HTTP exchange's outcome: a status and body, or why there was none (<see cref="Error"/>).</summary>
internal sealed record ZddHttpAnswer(HttpStatusCode? Status, string Body, string? Error)
{
    public bool IsSuccess => Error is null && Status is { } s && (int)s is >= 200 and < 300;

    /// <summary>What went wrong in one line: the transport error, or the status with the start of the body.</summary>
    public string Describe() => Error ?? $"HTTP {(int)Status!.Value} {ZddAppJson.Printable(Body.Trim())}";
}
