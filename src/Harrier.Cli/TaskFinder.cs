using Harrier.Client;

namespace Harrier.Cli;

/// <summary>
/// Finds the task a user means among all tasks (<c>GET /v2/tasks</c>): an exact id, or a prefix that matches exactly
/// one task. The task carries its app id, which the per-app endpoints (kill, logs) need.
/// </summary>
internal static class TaskFinder
{
    public static AppTask Find(IReadOnlyList<AppTask> tasks, string query)
    {
        var wanted = query.Trim();
        if (wanted.Length == 0)
        {
            throw new CliInputException("a task id must not be empty");
        }
        var exact = tasks.FirstOrDefault(t => t.Id == wanted);
        if (exact is not null)
        {
            return exact;
        }
        var matches = tasks.Where(t => t.Id.StartsWith(wanted, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new CliInputException($"no task matches '{wanted}'"),
            _ => throw new CliInputException(
                $"'{wanted}' matches {matches.Count} tasks; give more of the id: "
                + string.Join(", ", matches.Select(t => t.Id).Order(StringComparer.Ordinal).Take(5))
                + (matches.Count > 5 ? ", ..." : "")),
        };
    }
}
