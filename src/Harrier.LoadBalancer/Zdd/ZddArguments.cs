namespace Harrier.LoadBalancer.Zdd;

/// <summary>zdd's flags after parsing (zdd.py's names and defaults; see <see cref="ZddArgumentParser"/>).</summary>
internal sealed record ZddArguments
{
    public required string AppJsonPath { get; init; }

    /// <summary>The server (Harrier or Marathon) base URL.</summary>
    public required Uri Server { get; init; }

    /// <summary>Each balancer's stats base URL (<c>--marathon-lb</c>, repeatable).</summary>
    public required IReadOnlyList<Uri> Balancers { get; init; }

    public int NewInstances { get; init; }

    public int InitialInstances { get; init; } = 1;

    public TimeSpan StepDelay { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(300);

    public int LinearIncrease { get; init; }

    public bool CompleteCur { get; init; }

    public bool CompletePrev { get; init; }

    public bool Resume { get; init; }

    public bool Force { get; init; }

    public bool DryRun { get; init; }

    public string? PreKillHook { get; init; }

    /// <summary><c>--auth-credentials USER:PASS</c> (marathon-lb's Basic auth); else <c>HARRIER_TOKEN</c> as Bearer.</summary>
    public string? AuthCredentials { get; init; }
}
