using Harrier.Api.Errors;
using Harrier.Core.Resources;
using Harrier.Protocol;

namespace Harrier.Api.Agents;

/// <summary>
/// Checks what an agent says about itself before the server believes it (422 with Marathon's details): resources are
/// finite and not negative, port ranges lie in 1..65535 and begin at or before their end, and every name is bounded
/// (ids, hostname, attributes, role, zone) so that no registration can bloat the state or break what derives from it.
/// </summary>
internal static class AgentRegistrationValidator
{
    public const int MaxIdLength = 128;
    public const int MaxHostnameLength = 253;
    public const int MaxAttributes = 64;
    public const int MaxAttributeKeyLength = 128;
    public const int MaxAttributeValueLength = 256;
    public const int MaxRoleLength = 128;
    public const int MaxPortRanges = 100;
    public const int MaxCapabilities = 32;
    public const int MaxNetworks = 256;
    public const int MaxTasks = 100_000;
    public const int MaxTaskIdLength = 512;

    public static IEnumerable<Violation> Validate(RegisterAgentRequest request)
    {
        var agent = request.Agent;
        if (agent.Id.Value is not { Length: > 0 and <= MaxIdLength } id || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || id is "." or "..")
        {
            yield return new Violation("/agent/id", $"must be 1 to {MaxIdLength} characters of letters, digits, '-', '_' and '.'");
        }
        if (!IsHostname(agent.Hostname))
        {
            yield return new Violation("/agent/hostname", $"must be a host name or IP address of at most {MaxHostnameLength} characters");
        }
        foreach (var (name, value) in new[] { ("cpus", agent.Resources.Cpus), ("mem", agent.Resources.Mem), ("disk", agent.Resources.Disk), ("gpus", (double)agent.Resources.Gpus) })
        {
            if (!double.IsFinite(value) || value < 0)
            {
                yield return new Violation($"/agent/resources/{name}", "must be a finite number, not negative");
            }
        }
        if (agent.Ports.Count > MaxPortRanges)
        {
            yield return new Violation("/agent/ports", $"at most {MaxPortRanges} ranges");
        }
        for (var i = 0; i < agent.Ports.Count && i < MaxPortRanges; i++)
        {
            var range = agent.Ports[i];
            if (range.Begin is < 1 or > 65535 || range.End is < 1 or > 65535 || range.Begin > range.End)
            {
                yield return new Violation($"/agent/ports({i})", "must be BEGIN-END with 1 <= BEGIN <= END <= 65535");
            }
        }
        if (agent.Attributes.Count > MaxAttributes)
        {
            yield return new Violation("/agent/attributes", $"at most {MaxAttributes} attributes");
        }
        foreach (var (key, value) in agent.Attributes.Take(MaxAttributes))
        {
            if (key.Length is 0 or > MaxAttributeKeyLength || value.Length > MaxAttributeValueLength || key.Any(char.IsControl) || value.Any(char.IsControl))
            {
                yield return new Violation("/agent/attributes", $"keys must be 1 to {MaxAttributeKeyLength} characters and values at most {MaxAttributeValueLength}, without control characters");
                break;
            }
        }
        if (!IsName(agent.Role, allowStar: true))
        {
            yield return new Violation("/agent/role", $"must be * or 1 to {MaxRoleLength} characters of letters, digits, '-', '_', '.' and '/' (not starting with '.', '-' or '/')");
        }
        if (agent.Region is { } region && !IsName(region, allowStar: false))
        {
            yield return new Violation("/agent/region", $"must be 1 to {MaxRoleLength} characters of letters, digits, '-', '_', '.' and '/'");
        }
        if (agent.Zone is { } zone && !IsName(zone, allowStar: false))
        {
            yield return new Violation("/agent/zone", $"must be 1 to {MaxRoleLength} characters of letters, digits, '-', '_', '.' and '/'");
        }
        if (agent.Capabilities.Count > MaxCapabilities || agent.Capabilities.Any(c => !IsName(c, allowStar: false)))
        {
            yield return new Violation("/agent/capabilities", $"at most {MaxCapabilities} names of at most {MaxRoleLength} characters");
        }
        if (agent.Networks.Count > MaxNetworks || agent.Networks.Any(n => !IsName(n, allowStar: false)))
        {
            yield return new Violation("/agent/networks", $"at most {MaxNetworks} names of at most {MaxRoleLength} characters");
        }
        if (agent.Mode != AgentMode.Active)
        {
            yield return new Violation("/agent/mode", "is the operator's: an agent registers as active");
        }
        if (request.Tasks.Count > MaxTasks)
        {
            yield return new Violation("/tasks", $"at most {MaxTasks} tasks");
        }
        else if (request.Tasks.Any(t => t.TaskId.Value.Length is 0 or > MaxTaskIdLength))
        {
            yield return new Violation("/tasks", $"task ids must be 1 to {MaxTaskIdLength} characters");
        }
    }

    private static bool IsHostname(string? name) =>
        name is { Length: > 0 and <= MaxHostnameLength }
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or ':' or '_')
        && Uri.CheckHostName(name) != UriHostNameType.Unknown;

    private static bool IsName(string? name, bool allowStar) =>
        name is { Length: > 0 and <= MaxRoleLength }
        && (allowStar && name == "*"
            || name[0] is not ('.' or '-' or '/') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/'));
}
