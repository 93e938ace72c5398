namespace Harrier.Client;

/// <summary>The server could not be reached, dropped the connection, or did not answer in time.</summary>
public sealed class HarrierConnectionException : Exception
{
    public HarrierConnectionException()
    {
    }

    public HarrierConnectionException(string message)
        : base(message)
    {
    }

    public HarrierConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
