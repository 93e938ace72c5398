using System.Text.Json.Nodes;

namespace Harrier.Client;

/// <summary><c>GET /v2/info</c> (§15.1): who is serving and who leads.</summary>
public sealed record ServerInfo(string? Name, string? Version, string? BuildRef, bool? Elected, string? Leader, string? FrameworkId, JsonObject Raw)
{
    public static ServerInfo FromJson(JsonObject o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return new ServerInfo(o.Str("name"), o.Str("version"), o.Str("buildref"), o.Bool("elected"), o.Str("leader"), o.Str("frameworkId"), o);
    }
}
