namespace Harrier.Core.Ids;

/// <summary>
/// <c>&lt;safePath&gt;.instance-&lt;uuid&gt;</c>, as Marathon 1.8+. The uuid travels in the command that creates the instance.
/// The hash code is computed once, when the id is made: instance ids key the snapshot's largest maps and sets, and
/// hashing a 60-character id was a large part of every lookup.
/// </summary>
public readonly record struct InstanceId
{
    private readonly int _hash;

    public InstanceId(string value)
    {
        Value = value;
        _hash = value is null ? 0 : string.GetHashCode(value, StringComparison.Ordinal);
    }

    public string Value { get; }

    public static InstanceId For(PathId runSpec, Guid uuid) => new($"{runSpec.SafePath}.instance-{uuid:D}");

    /// <summary>The app task id for the given incarnation: <c>&lt;instanceId&gt;._app.&lt;n&gt;</c>.</summary>
    public TaskId TaskFor(int incarnation) => new($"{Value}._app.{incarnation}");

    public bool Equals(InstanceId other) => _hash == other._hash && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override int GetHashCode() => _hash;

    public override string ToString() => Value;
}
