namespace Harrier.LoadBalancer.Zdd;

/// <summary>
/// A deploy that cannot go on: <see cref="Step"/> names where it stopped (listing the apps, creating the new colour,
/// reading a balancer's stats, killing tasks, …) so the operator knows what is left (usually <c>--resume</c>).
/// Exit code 1.
/// </summary>
internal sealed class ZddFailure(string step, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Step { get; } = step;
}
