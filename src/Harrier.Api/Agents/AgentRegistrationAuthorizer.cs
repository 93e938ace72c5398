using Harrier.Core.Resources;
using Harrier.Protocol;
using System.Security.Cryptography.X509Certificates;

namespace Harrier.Api.Agents;

/// <summary>
/// May this registration have the agent id it claims? In order:
/// <list type="number">
/// <item>with client certificates (<c>--agent-client-ca</c>), the certificate must name the agent: its hostname or id;</item>
/// <item>the id's current session (the same agent registering again) may;</item>
/// <item>a self-certifying id (<see cref="AgentIdProof"/>) needs its secret, whatever the sessions say: a restarted
///   agent proves its id, someone who only read it in <c>/v2/agents</c> cannot;</item>
/// <item>any other id may only while no session holds it (first come; after a server restart, the first to register).</item>
/// </list>
/// </summary>
internal static class AgentRegistrationAuthorizer
{
    /// <summary>Null when allowed, else the refusal (403) and why.</summary>
    public static string? Refusal(AgentSessions sessions, AgentInfo agent, string? session, string? secret, X509Certificate2? certificate, bool certificateMustName)
    {
        if (certificateMustName)
        {
            var names = certificate is null ? new HashSet<string>() : AgentCertificates.Names(certificate);
            if (!names.Contains(agent.Hostname) && !names.Contains(agent.Id.Value))
            {
                return $"The client certificate names {(names.Count == 0 ? "nobody" : string.Join(", ", names.Order(StringComparer.Ordinal)))}, not agent {agent.Id} ({agent.Hostname}).";
            }
        }
        if (sessions.IsCurrent(agent.Id, session))
        {
            return null;
        }
        if (AgentIdProof.IsSelfCertifying(agent.Id))
        {
            return AgentIdProof.Proves(agent.Id, secret) ? null : $"Agent id {agent.Id} is not proven by this registration's secret.";
        }
        return sessions.IsBound(agent.Id) ? $"Agent {agent.Id} is registered with another session." : null;
    }
}
