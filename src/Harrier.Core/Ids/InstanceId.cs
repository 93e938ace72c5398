namespace Harrier.Core.Ids;

/// <summary>
/// <c>&lt;safePath&gt;.instance-&lt;uuid&gt;</c>, as Marathon 1.8+. The uuid travels in the command that creates the instance.
/// </summary>
public readonly record struct InstanceId(string Value)
{
    public static InstanceId For(PathId runSpec, Guid uuid) => new($"{runSpec.SafePath}.instance-{uuid:D}");

    /// <summary>The app task id for the given incarnation: <c>&lt;instanceId&gt;._app.&lt;n&gt;</c>.</summary>
    public TaskId TaskFor(int incarnation) => new($"{Value}._app.{incarnation}");

    public override string ToString() => Value;
}
