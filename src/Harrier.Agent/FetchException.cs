namespace Harrier.Agent;

/// <summary>A fetch URI could not be fetched; the message is user-facing.</summary>
internal sealed class FetchException : Exception
{
    public FetchException(string message)
        : base(message)
    {
    }

    public FetchException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public FetchException()
    {
    }
}
