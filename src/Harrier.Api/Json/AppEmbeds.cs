namespace Harrier.Api.Json;

/// <summary>
/// Which AppInfo parts to add. Prefixes <c>apps.</c>, <c>app.</c>, <c>group.apps.</c> or none; unknown values are
/// ignored; <c>tasks</c> implies deployments; <c>failures</c> means tasks + lastTaskFailure + deployments.
/// </summary>
internal sealed record AppEmbeds(bool Counts, bool Deployments, bool Tasks, bool Readiness, bool LastTaskFailure, bool TaskStats)
{
    /// <summary>Harrier's extensions were asked for (<c>Harrier-Extensions: true</c>): tasks carry their <c>vips</c>.</summary>
    public bool Extensions { get; init; }

    public static AppEmbeds None { get; } = new(false, false, false, false, false, false);

    public static AppEmbeds Parse(IEnumerable<string> values, AppEmbeds baseline)
    {
        var e = baseline;
        foreach (var raw in values)
        {
            var v = raw;
            foreach (var prefix in new[] { "group.apps.", "apps.", "app." })
            {
                if (v.StartsWith(prefix, StringComparison.Ordinal))
                {
                    v = v[prefix.Length..];
                    break;
                }
            }
            e = v switch
            {
                "tasks" => e with { Tasks = true, Deployments = true },
                "counts" => e with { Counts = true },
                "deployments" => e with { Deployments = true },
                "readiness" => e with { Readiness = true },
                "lastTaskFailure" => e with { LastTaskFailure = true },
                "failures" => e with { Tasks = true, LastTaskFailure = true, Deployments = true },
                "taskStats" => e with { TaskStats = true },
                _ => e,
            };
        }
        return e;
    }
}
