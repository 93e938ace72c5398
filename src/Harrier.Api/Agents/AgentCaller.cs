using Harrier.Core.Ids;
using Microsoft.AspNetCore.Http;

namespace Harrier.Api.Agents;

/// <summary>The agent an agent-protocol request was authenticated as (by its session), for the endpoints' own checks.</summary>
internal static class AgentCaller
{
    private static readonly object Key = new();

    public static void Set(HttpContext context, AgentId agent) => context.Items[Key] = agent;

    /// <summary>The session's agent; null on registration (which is authenticated by token and proof instead).</summary>
    public static AgentId? Of(HttpContext context) => context.Items.TryGetValue(Key, out var value) ? (AgentId?)value : null;
}
