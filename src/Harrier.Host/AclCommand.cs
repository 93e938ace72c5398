using Harrier.Api.Security;

namespace Harrier.Host;

/// <summary>
/// <c>harrier acl hash-password</c> (reads the password from stdin, prints the hash for an ACL file's
/// <c>"password"</c>) and <c>harrier acl new-token</c> (prints a new random token, and the <c>"token"</c> hash to put in
/// the ACL file; the token itself is shown once and stored nowhere).
/// </summary>
internal static class AclCommand
{
    public const string Usage = """
        Usage: harrier acl hash-password    read a password on stdin, print its hash for an --acl-file "password"
               harrier acl new-token        print a new bearer token and the hash for an --acl-file "token"
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextReader input, TextWriter output, TextWriter error)
    {
        switch (args.Count == 1 ? args[0] : null)
        {
            case "hash-password":
                var password = (await input.ReadLineAsync())?.TrimEnd('\r');
                if (string.IsNullOrEmpty(password))
                {
                    await error.WriteLineAsync("harrier acl hash-password: no password on stdin");
                    return 64;
                }
                await output.WriteLineAsync(PasswordHash.Create(password));
                return 0;
            case "new-token":
                var token = TokenHash.NewToken();
                await output.WriteLineAsync($"token: {token}");
                await output.WriteLineAsync($"hash:  {TokenHash.Of(token)}");
                return 0;
            default:
                await (args.Count == 1 && args[0] is "-h" or "--help" ? output : error).WriteLineAsync(Usage);
                return args.Count == 1 && args[0] is "-h" or "--help" ? 0 : 64;
        }
    }
}
