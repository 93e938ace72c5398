namespace Harrier.Dns.Server;

/// <summary>An upstream's reply (with the client's id restored), or the rcode to answer with when there is none:
/// REFUSED when no upstream answered (Mesos-DNS's forwarding error), SERVFAIL for anything else (such as a full
/// forwarder).</summary>
internal readonly record struct ForwardResult(byte[]? Reply, int Length, int Rcode);
