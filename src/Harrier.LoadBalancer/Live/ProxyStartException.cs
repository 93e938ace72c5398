namespace Harrier.LoadBalancer.Live;

/// <summary>The proxy could not be started (or adopted) with a config: nothing would serve.</summary>
internal sealed class ProxyStartException : Exception
{
    public ProxyStartException(string message)
        : base(message)
    {
    }

    public ProxyStartException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
