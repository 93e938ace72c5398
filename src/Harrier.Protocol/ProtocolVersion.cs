namespace Harrier.Protocol;

/// <summary>The server ↔ agent protocol version. A mismatched agent is refused at registration.</summary>
public static class ProtocolVersion
{
    public const int Current = 7;
}
