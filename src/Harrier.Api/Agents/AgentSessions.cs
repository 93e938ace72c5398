using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Harrier.Core.Ids;

namespace Harrier.Api.Agents;

/// <summary>
/// The agent protocol's sessions: each registration over HTTP gets a fresh random session bound to its agent id, and
/// every later call of that agent must carry it. One session per agent: a new registration (with proof, see
/// <see cref="AgentRegistrationAuthorizer"/>) replaces the old one, whose calls are then refused. Held in memory only:
/// after a server restart agents prove their ids again (their secret) or, for ids that cannot be proven, the first
/// registration binds the id.
/// </summary>
public sealed class AgentSessions
{
    private readonly ConcurrentDictionary<AgentId, string> _byAgent = new();
    private readonly ConcurrentDictionary<string, AgentId> _bySession = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>A new session for the agent; the previous one, if any, stops working.</summary>
    public string Issue(AgentId agent)
    {
        var session = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        lock (_gate)
        {
            if (_byAgent.TryGetValue(agent, out var old))
            {
                _bySession.TryRemove(old, out _);
            }
            _byAgent[agent] = session;
            _bySession[session] = agent;
        }
        return session;
    }

    /// <summary>
    /// Binds the id to a session nobody is given: the in-process agent of <c>harrier dev</c>, whose id no HTTP caller may
    /// take without proving it.
    /// </summary>
    public void Reserve(AgentId agent) => Issue(agent);

    /// <summary>The agent a session belongs to; null for an unknown (or replaced) session.</summary>
    public AgentId? AgentOf(string? session) =>
        session is { Length: > 0 and <= 128 } && _bySession.TryGetValue(session, out var agent) ? agent : null;

    /// <summary>True when some session holds the id.</summary>
    public bool IsBound(AgentId agent) => _byAgent.ContainsKey(agent);

    /// <summary>True when <paramref name="session"/> is the agent's current session (compared in constant time).</summary>
    public bool IsCurrent(AgentId agent, string? session) =>
        session is not null && _byAgent.TryGetValue(agent, out var current)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(current), Encoding.UTF8.GetBytes(session));
}
