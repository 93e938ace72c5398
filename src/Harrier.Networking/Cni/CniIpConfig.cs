using System.Net;

namespace Harrier.Networking.Cni;

/// <summary>An address of a CNI result (<c>10.22.0.5/16</c>), its gateway, and the index of its interface in the result.</summary>
public sealed record CniIpConfig(IPAddress Address, int PrefixLength, IPAddress? Gateway, int? Interface);
