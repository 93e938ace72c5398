using System.Net;
using Harrier.Core.Resources;

namespace Harrier.Server.Discovery;

/// <summary>The address other hosts reach an agent at: where it registered from, else its hostname when that is an
/// address; null when neither (a hostname that would need resolving is not guessed at).</summary>
internal static class AgentAddress
{
    public static string? Of(AgentInfo agent) =>
        agent.OverlayAddress ?? (IPAddress.TryParse(agent.Hostname, out var ip) ? ip.ToString() : null);
}
