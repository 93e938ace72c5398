namespace Harrier.LoadBalancer.Haproxy;

/// <summary>
/// The server changes between what runs and the next configuration of the same shape: lines to add, to drain and
/// delete, and to toggle between <c>disabled</c> and ready. <see cref="ReloadReason"/> is set when the runtime API
/// cannot express the change (a server's address or options changed, a keyword it refuses, an unsafe token).
/// </summary>
internal sealed record RuntimePlan(IReadOnlyList<ServerLine> Add, IReadOnlyList<ServerLine> Remove, IReadOnlyList<ServerLine> Toggle, string? ReloadReason)
{
    public static RuntimePlan Diff(HaproxyConfigModel current, HaproxyConfigModel next)
    {
        if ((next.RuntimeProblem ?? current.RuntimeProblem) is { } problem)
        {
            return Reload(problem);
        }
        var add = new List<ServerLine>();
        var toggle = new List<ServerLine>();
        foreach (var (key, line) in next.Servers)
        {
            if (!current.Servers.TryGetValue(key, out var running))
            {
                if (line.NotAddableReason() is { } reason)
                {
                    return Reload(reason);
                }
                add.Add(line);
            }
            else if (!running.SameSettings(line))
            {
                return Reload($"server {line.Backend}/{line.Name} changed its address or options");
            }
            else if (running.Disabled != line.Disabled)
            {
                if (!RuntimeToken.IsSafe(line.Backend) || !RuntimeToken.IsSafe(line.Name))
                {
                    return Reload($"server {line.Backend}/{line.Name} has characters the runtime API cannot carry");
                }
                toggle.Add(line);
            }
        }
        var remove = current.Servers.Where(s => !next.Servers.ContainsKey(s.Key)).Select(s => s.Value).ToList();
        if (remove.FirstOrDefault(r => !RuntimeToken.IsSafe(r.Backend) || !RuntimeToken.IsSafe(r.Name)) is { } unsafeLine)
        {
            return Reload($"server {unsafeLine.Backend}/{unsafeLine.Name} has characters the runtime API cannot carry");
        }
        return new RuntimePlan(add, remove, toggle, null);
    }

    private static RuntimePlan Reload(string reason) => new([], [], [], reason);
}
