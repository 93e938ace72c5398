using System.Net.Http.Headers;
using System.Text;

namespace Harrier.Cli;

/// <summary>
/// The credentials a verb sends: <c>--token</c>, else <c>--user USER[:PASS]</c>, else <c>HARRIER_TOKEN</c>, else
/// <c>HARRIER_USER</c> (with <c>HARRIER_PASSWORD</c> when the user has no <c>:PASS</c>); none when nothing is set.
/// </summary>
internal static class CredentialsResolver
{
    public const string TokenVariable = "HARRIER_TOKEN";
    public const string UserVariable = "HARRIER_USER";
    public const string PasswordVariable = "HARRIER_PASSWORD";

    /// <returns>The Authorization header, or null; <paramref name="error"/> is set when a user has no password.</returns>
    public static AuthenticationHeaderValue? Resolve(string? token, string? user, Func<string, string?> getEnv, out string? error)
    {
        error = null;
        if (!string.IsNullOrEmpty(token))
        {
            return new AuthenticationHeaderValue("Bearer", token.Trim());
        }
        if (!string.IsNullOrEmpty(user))
        {
            return Basic(user, getEnv, "--user", out error);
        }
        if (getEnv(TokenVariable) is { Length: > 0 } envToken)
        {
            return new AuthenticationHeaderValue("Bearer", envToken.Trim());
        }
        return getEnv(UserVariable) is { Length: > 0 } envUser ? Basic(envUser, getEnv, UserVariable, out error) : null;
    }

    private static AuthenticationHeaderValue? Basic(string user, Func<string, string?> getEnv, string source, out string? error)
    {
        error = null;
        var pair = user.Contains(':', StringComparison.Ordinal) ? user
            : getEnv(PasswordVariable) is { Length: > 0 } password ? $"{user}:{password}"
            : null;
        if (pair is null)
        {
            error = $"{source} {user} has no password: give USER:PASS or set {PasswordVariable}";
            return null;
        }
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
    }
}
