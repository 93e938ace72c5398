namespace Harrier.LoadBalancer.Haproxy;

/// <summary>
/// What may go into a runtime API command: one word without whitespace, <c>;</c> (the CLI's command separator),
/// quotes, backslashes or control characters. Anything else is refused before it reaches the socket.
/// </summary>
internal static class RuntimeToken
{
    public static bool IsSafe(string token) =>
        token.Length is > 0 and <= 512 && token.All(c => c > ' ' && c < 0x7f && c is not (';' or '"' or '\'' or '\\' or '#'));
}
