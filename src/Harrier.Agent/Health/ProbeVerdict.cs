namespace Harrier.Agent.Health;

internal enum ProbeVerdict
{
    Healthy,
    Unhealthy,
    /// <summary>A 1xx answer to an HTTP check with <c>ignoreHttp1xx</c>: nothing changes, nothing is reported.</summary>
    Ignored,
}
