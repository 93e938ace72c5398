namespace Harrier.Networking;

/// <summary>A network device, namespace, address or rule could not be set up; the message names what and why.</summary>
public sealed class NetworkSetupException : Exception
{
    public NetworkSetupException(string message)
        : base(message)
    {
    }

    public NetworkSetupException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
