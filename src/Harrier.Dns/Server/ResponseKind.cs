namespace Harrier.Dns.Server;

/// <summary>What <see cref="DnsResponder.Respond"/> decided.</summary>
internal enum ResponseKind
{
    /// <summary>A reply is in the buffer.</summary>
    Reply,

    /// <summary>Send nothing (a response, a runt).</summary>
    Drop,

    /// <summary>The name is outside every zone: hand the query to the forwarder.</summary>
    Forward,
}
