namespace Harrier.Core.Apps;

/// <summary>An env entry: a plain string, or a reference to a named secret (<c>{"secret":"name"}</c>).</summary>
public sealed record EnvValue(string? Value, string? Secret = null)
{
    public static EnvValue Of(string value) => new(value);

    public bool IsSecret => Secret is not null;
}
