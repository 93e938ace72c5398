using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;

namespace Harrier.Api.Metrics;

/// <summary>The API's meter (<c>Harrier.Api</c>): request counts and durations by method and status class
/// (a request whose client went away before it was answered counts as 4xx).</summary>
public sealed class ApiMetrics : IDisposable
{
    private const int ClientClosedRequest = 499;
    private readonly Meter _meter = new("Harrier.Api");
    private readonly Histogram<double> _duration;

    public ApiMetrics() =>
        _duration = _meter.CreateHistogram<double>("harrier_http_request_duration_seconds", "s", "HTTP request duration");

    public async Task Measure(HttpContext context, Func<Task> next)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next();
        }
        finally
        {
            // A client that went away before it was answered is its error (nginx's 499), not the 200 nobody sent.
            var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? ClientClosedRequest : context.Response.StatusCode;
            _duration.Record(
                Stopwatch.GetElapsedTime(start).TotalSeconds,
                new KeyValuePair<string, object?>("method", context.Request.Method),
                new KeyValuePair<string, object?>("status", (status / 100) + "xx"));
        }
    }

    public void Dispose() => _meter.Dispose();
}
