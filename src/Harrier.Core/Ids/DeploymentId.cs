namespace Harrier.Core.Ids;

/// <summary>A deployment plan id (a UUID string, as Marathon's).</summary>
public readonly record struct DeploymentId(string Value)
{
    public override string ToString() => Value;
}
