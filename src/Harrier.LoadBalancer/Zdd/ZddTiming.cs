namespace Harrier.LoadBalancer.Zdd;

/// <summary>Bounds on zdd's waits and calls.</summary>
internal static class ZddTiming
{
    /// <summary>Each call to the server.</summary>
    public static readonly TimeSpan ServerCall = TimeSpan.FromSeconds(30);

    /// <summary>Each call to a balancer's stats port.</summary>
    public static readonly TimeSpan BalancerCall = TimeSpan.FromSeconds(10);

    /// <summary>The pause between polls: <c>--step-delay</c>, at least 10 ms so that 0 does not spin.</summary>
    public static TimeSpan Step(ZddArguments args) => args.StepDelay < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : args.StepDelay;
}
