namespace Harrier.Protocol;

/// <summary>
/// HTTP headers of the agent protocol's identity (the in-process agent of <c>harrier dev</c> needs none):
/// <list type="bullet">
/// <item><c>Authorization: Bearer TOKEN</c> on registration: the join secret (<c>--agent-token-file</c>).</item>
/// <item><see cref="Secret"/> on registration: the secret of a self-certifying id (<see cref="AgentIdProof"/>).</item>
/// <item><see cref="Session"/>: issued in the registration's answer, carried by every later call of that agent (and by
/// a re-registration, as proof that it is the same agent).</item>
/// </list>
/// </summary>
public static class AgentProtocolHeaders
{
    public const string Session = "Harrier-Agent-Session";

    public const string Secret = "Harrier-Agent-Secret";
}
