namespace Harrier.Cli.Tests.Fakes;

/// <summary>A transport whose behaviour is one function: for failures the routing fake cannot express.</summary>
public sealed class LambdaHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => send(request, cancellationToken);
}
