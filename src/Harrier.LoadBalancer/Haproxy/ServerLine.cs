namespace Harrier.LoadBalancer.Haproxy;

/// <summary>
/// A <c>server NAME ADDR:PORT OPTIONS…</c> line of a backend (marathon-lb's shapes: <c>id N</c>, <c>check inter Ns
/// fall N</c>, <c>port P</c>, <c>cookie C</c>, <c>disabled</c>, or whatever a server-options template adds).
/// </summary>
internal sealed record ServerLine(string Backend, string Name, string Address, IReadOnlyList<string> Options)
{
    /// <summary>Keywords HAProxy 2.6 refuses in <c>add server</c> ("'cookie' option is not accepted for dynamic server").</summary>
    private static readonly HashSet<string> NotDynamic = new(StringComparer.Ordinal) { "cookie", "track", "redir", "init-addr", "resolvers", "resolve-prefer", "resolve-net", "resolve-opts" };

    public bool Disabled => Options.Contains("disabled");

    public bool HasCheck => Options.Contains("check");

    /// <summary>The options without <c>disabled</c>: two lines differing only there are a toggle, not a change.</summary>
    public IEnumerable<string> Settings => Options.Where(o => o != "disabled");

    /// <summary>Why this line cannot be added through the runtime API, or null when it can.</summary>
    public string? NotAddableReason()
    {
        if (!RuntimeToken.IsSafe(Backend) || !RuntimeToken.IsSafe(Name) || !RuntimeToken.IsSafe(Address) || !Options.All(RuntimeToken.IsSafe))
        {
            return $"server {Backend}/{Name} has characters the runtime API cannot carry";
        }
        var refused = Options.FirstOrDefault(NotDynamic.Contains);
        return refused is null ? null : $"server {Backend}/{Name} uses '{refused}', which HAProxy 2.6 refuses for dynamic servers";
    }

    public bool SameSettings(ServerLine other) => Address == other.Address && Settings.SequenceEqual(other.Settings);

    /// <summary>The <c>add server</c> arguments: address and options as written (HAProxy keeps <c>disabled</c> as maint).</summary>
    public string AddCommand() => $"add server {Backend}/{Name} {string.Join(' ', new[] { Address }.Concat(Options))}";
}
