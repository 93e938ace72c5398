using System.Security.Cryptography;
using System.Text;
using Harrier.Api.Endpoints;
using Harrier.Api.Http;
using Harrier.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Harrier.Api.Agents;

/// <summary>
/// Authenticates every request under <c>/harrier/v1/agents</c>, on its own and apart from the API's user
/// authentication (agents are authorized by their token and session, never by user credentials):
/// <list type="bullet">
/// <item>with <c>--agent-client-ca</c>, a client certificate issued by that CA (401 without);</item>
/// <item>registration: the join token, when configured (<c>Authorization: Bearer</c>, compared in constant time; 401
///   with <c>WWW-Authenticate</c> without it). Who may have which id is decided by the endpoint once the body is read
///   (<see cref="AgentRegistrationAuthorizer"/>);</item>
/// <item>everything else: a session issued at registration (401 without one or with an unknown one). The endpoints
///   then refuse (403) a call that names another agent than the session's (<see cref="AgentCaller"/>).</item>
/// </list>
/// The in-process agent of <c>harrier dev</c> does not come through here.
/// </summary>
internal sealed partial class AgentProtocolAuth(RequestDelegate next, AgentAuthOptions options, AgentSessions sessions, ILogger<AgentProtocolAuth> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "?";
        if (options.ClientCa is { } ca)
        {
            var certificate = context.Connection.ClientCertificate;
            if (certificate is null || !AgentCertificates.IsIssuedBy(certificate, ca))
            {
                LogRefused(logger, context.Request.Path, remote, "no client certificate issued by the agents' CA");
                await JsonResponse.MessageAsync(context, 401, "Agents must present a client certificate issued by the agents' CA (--agent-client-ca).");
                return;
            }
        }
        if (context.Request.Path.Equals(AgentProtocolEndpoints.Prefix + "/register", StringComparison.Ordinal))
        {
            if (options.JoinToken is { } token && !TokenMatches(context.Request.Headers.Authorization.ToString(), token))
            {
                LogRefused(logger, context.Request.Path, remote, "no valid join token");
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"harrier-agents\"";
                await JsonResponse.MessageAsync(context, 401, "Agent registration needs the join token (--agent-token-file) as Authorization: Bearer TOKEN.");
                return;
            }
            await next(context);
            return;
        }
        if (sessions.AgentOf(context.Request.Headers[AgentProtocolHeaders.Session].ToString()) is not { } agent)
        {
            LogRefused(logger, context.Request.Path, remote, "no valid session");
            await JsonResponse.MessageAsync(context, 401, $"No valid agent session ({AgentProtocolHeaders.Session}): register first.");
            return;
        }
        AgentCaller.Set(context, agent);
        await next(context);
    }

    /// <summary>Compares hashes, so neither the token's content nor its length leaks through timing.</summary>
    internal static bool TokenMatches(string authorization, string token)
    {
        const string Scheme = "Bearer ";
        if (!authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim()));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return CryptographicOperations.FixedTimeEquals(presented, expected);
    }

    [LoggerMessage(200, LogLevel.Warning, "Agent protocol request {Path} from {Remote} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string path, string remote, string reason);
}
