using System.Text.RegularExpressions;

namespace Harrier.Core.Ids;

/// <summary>
/// A task id. Current form <c>&lt;instanceId&gt;.&lt;container&gt;.&lt;incarnation&gt;</c>; the legacy forms
/// <c>&lt;safePath&gt;.&lt;uuid&gt;</c>, <c>&lt;safePath&gt;_&lt;uuid&gt;</c> and <c>&lt;safePath&gt;.&lt;uuid&gt;.&lt;attempt&gt;</c> are parsed too.
/// </summary>
public readonly partial record struct TaskId(string Value)
{
    /// <summary>The instance this task belongs to, or null when the id is not a task id at all.</summary>
    public InstanceId? Instance
    {
        get
        {
            var m = CurrentForm().Match(Value);
            if (m.Success)
            {
                return new InstanceId(m.Groups["instance"].Value);
            }
            var legacy = LegacyForm().Match(Value);
            return legacy.Success ? new InstanceId(legacy.Groups["instance"].Value) : null;
        }
    }

    /// <summary>The incarnation (1 for legacy ids).</summary>
    public int Incarnation
    {
        get
        {
            var m = CurrentForm().Match(Value);
            return m.Success && int.TryParse(m.Groups["inc"].Value, out var n) ? n : 1;
        }
    }

    public static bool TryParse(string raw, out TaskId id)
    {
        id = new TaskId(raw);
        return id.Instance is not null;
    }

    [GeneratedRegex(@"^(?<instance>.+\.(instance-|marathon-)[^\.]+)\.(?<container>[^\.]+)\.(?<inc>\d+)$")]
    private static partial Regex CurrentForm();

    [GeneratedRegex(@"^(?<instance>(?<path>.+)[\._](?<uuid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))(\.\d+)?$")]
    private static partial Regex LegacyForm();

    public override string ToString() => Value;
}
