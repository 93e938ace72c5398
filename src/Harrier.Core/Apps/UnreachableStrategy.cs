namespace Harrier.Core.Apps;

/// <summary><c>"disabled"</c> (wait for ever) or <c>{inactiveAfterSeconds, expungeAfterSeconds}</c>.</summary>
public sealed record UnreachableStrategy(bool Disabled, int InactiveAfterSeconds, int ExpungeAfterSeconds)
{
    public static UnreachableStrategy Default { get; } = new(false, 0, 0);

    public static UnreachableStrategy DisabledStrategy { get; } = new(true, 0, 0);
}
