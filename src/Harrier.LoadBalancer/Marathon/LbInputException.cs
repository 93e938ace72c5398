namespace Harrier.LoadBalancer.Marathon;

/// <summary>
/// The renderer's input cannot be used at all: the apps body is not JSON or not <c>{"apps": [...]}</c>, or an operator
/// setting (a <c>HAPROXY_HEAD</c> override, <c>--stats-auth</c>) is unusable. One bad app or label never raises this: that
/// service is dropped and named in <see cref="Rendering.RenderedConfig.Warnings"/>.
/// </summary>
public sealed class LbInputException : Exception
{
    public LbInputException(string message)
        : base(message)
    {
    }

    public LbInputException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public LbInputException()
    {
    }
}
