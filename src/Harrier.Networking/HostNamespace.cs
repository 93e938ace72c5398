namespace Harrier.Networking;

/// <summary>
/// The network namespace Harrier's devices, routes and rules live in: the agent's own (<see cref="Current"/>) in
/// production, or a named one, so tests and benchmarks run everything inside a namespace they made and never touch
/// the machine's own network. Every tool runs through here.
/// </summary>
public sealed record HostNamespace(string? Name)
{
    public static HostNamespace Current { get; } = new((string?)null);

    public Task<string> IpAsync(IReadOnlyList<string> args, string? stdin = null, CancellationToken cancellationToken = default) =>
        HostCommand.RunAsync("ip", Name is null ? args : ["-n", Name, .. args], stdin, cancellationToken: cancellationToken);

    public Task<(int ExitCode, string Stdout, string Stderr)> TryIpAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default) =>
        HostCommand.TryRunAsync("ip", Name is null ? args : ["-n", Name, .. args], cancellationToken: cancellationToken);

    /// <summary>Runs another tool (nft, tc, sysctl, a CNI plugin) in this namespace.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> TryExecAsync(
        string file, IReadOnlyList<string> args, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default) =>
        Name is null
            ? HostCommand.TryRunAsync(file, args, stdin, environment, cancellationToken: cancellationToken)
            : HostCommand.TryRunAsync("ip", ["netns", "exec", Name, file, .. args], stdin, environment, cancellationToken: cancellationToken);

    public Task<string> ExecAsync(string file, IReadOnlyList<string> args, string? stdin = null, CancellationToken cancellationToken = default) =>
        Name is null
            ? HostCommand.RunAsync(file, args, stdin, cancellationToken: cancellationToken)
            : HostCommand.RunAsync("ip", ["netns", "exec", Name, file, .. args], stdin, cancellationToken: cancellationToken);

    public async Task<bool> LinkExistsAsync(string device) => (await TryIpAsync(["link", "show", "dev", device])).ExitCode == 0;

    /// <summary>Sets a kernel network setting of this namespace (<c>net.ipv4.ip_forward</c> …).</summary>
    public async Task SysctlAsync(string key, string value)
    {
        if (Name is null)
        {
            Sysctl.Set(key, value);
            return;
        }
        await HostCommand.RunAsync("ip", ["netns", "exec", Name, "sysctl", "-qw", key + "=" + value]);
    }
}
