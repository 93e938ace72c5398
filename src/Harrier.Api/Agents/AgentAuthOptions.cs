using System.Security.Cryptography.X509Certificates;

namespace Harrier.Api.Agents;

/// <summary>How agents prove themselves on <c>/harrier/v1/agents</c> (the host sets it from its flags).</summary>
public sealed class AgentAuthOptions
{
    /// <summary>The join secret registrations must present as <c>Authorization: Bearer</c> (<c>--agent-token-file</c>); null: none.</summary>
    public string? JoinToken { get; set; }

    /// <summary>
    /// <c>--agent-client-ca</c>: agents must present a client certificate issued by one of these, and it must name the
    /// agent (its hostname or id) at registration. Null: no client certificates.
    /// </summary>
    public X509Certificate2Collection? ClientCa { get; set; }
}
