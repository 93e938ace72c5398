using System.CommandLine;

namespace Harrier.Cli;

/// <summary>Options every verb accepts; they are recursive, so they may follow any subcommand.</summary>
internal sealed class GlobalFlags
{
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the server's JSON answer (pretty) instead of a table or summary",
        Recursive = true,
    };

    public Option<string?> Server { get; } = new("--server")
    {
        Description = $"Harrier server URL (default: ${ServerUrlResolver.EnvironmentVariable}, else {ServerUrlResolver.DefaultUrl})",
        HelpName = "URL",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"Bearer token for a server with an ACL file (default: ${CredentialsResolver.TokenVariable})",
        HelpName = "TOKEN",
        Recursive = true,
    };

    public Option<string?> User { get; } = new("--user")
    {
        Description = $"USER[:PASS] for HTTP Basic auth (default: ${CredentialsResolver.UserVariable}; the password from ${CredentialsResolver.PasswordVariable} when not given)",
        HelpName = "USER[:PASS]",
        Recursive = true,
    };

    public Option<string?> CaCert { get; } = new("--ca-cert")
    {
        Description = $"PEM CA certificate(s) to trust for an https server (default: ${CaTrust.EnvironmentVariable}, else the system store)",
        HelpName = "FILE",
        Recursive = true,
    };
}
