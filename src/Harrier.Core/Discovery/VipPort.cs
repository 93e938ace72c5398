namespace Harrier.Core.Discovery;

/// <summary>One port of an app as VIP validation sees it: its index (in portDefinitions or portMappings), its protocol
/// text (<c>tcp</c>, <c>udp</c>, <c>tcp,udp</c>) and its labels.</summary>
public sealed record VipPort(int PortIndex, string? Protocol, IReadOnlyDictionary<string, string> Labels);
