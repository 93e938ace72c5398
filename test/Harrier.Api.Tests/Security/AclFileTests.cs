using Harrier.Api.Security;
using Harrier.Core.Ids;
using Xunit;

namespace Harrier.Api.Tests.Security;

public sealed class AclFileTests
{
    private static readonly string Hash = PasswordHash.Create("secret", 10_000);
    private static readonly string Token = TokenHash.Of("hrt_token");

    [Fact]
    public void Parse_PrincipalsWithPasswordsTokensAndGrants()
    {
        var entries = AclFile.Parse($$"""
            {
              // comments are allowed
              "principals": {
                "alice": { "password": "{{Hash}}", "grants": { "/dev/*": "write", "/prod/*": "read" } },
                "ci":    { "token": "{{Token.ToUpperInvariant().Replace("SHA256:", "sha256:", StringComparison.Ordinal)}}", "grants": { "/dev/web": "admin" } }
              }
            }
            """);
        Assert.Equal(["alice", "ci"], entries.Select(e => e.Name));
        var alice = new Principal("alice", entries[0].Grants);
        Assert.True(alice.Can(AccessAction.Write, PathId.Parse("/dev/x")));
        Assert.False(alice.Can(AccessAction.Write, PathId.Parse("/prod/x")));
        Assert.Equal(Token, entries[1].TokenHash);
    }

    [Theory]
    [InlineData("""{"principals":{"a":{"password":"plain","grants":{}}}}""", "principal 'a': a password hash must look like")]
    [InlineData("""{"principals":{"a":{"token":"abc","grants":{}}}}""", "a token must be given as sha256:HEX")]
    [InlineData("""{"principals":{"a":{"grants":{}}}}""", "needs a \"password\" hash or a \"token\" hash")]
    [InlineData("""{"principals":{"a":{"token":"TOKEN","grants":{"/prod/*":"delete"}}}}""", "grant '/prod/*' must be \"read\", \"write\" or \"admin\"")]
    [InlineData("""{"principals":{"a":{"token":"TOKEN","grants":{"prod":"read"}}}}""", "must be absolute")]
    [InlineData("""{"principals":{"a":{"token":"TOKEN","grant":{}}}}""", "unknown key \"grant\"")]
    [InlineData("""{"principal":{}}""", "unknown key \"principal\"")]
    [InlineData("""{"principals":{"a":{"token":"TOKEN","grants":{}},"b":{"token":"TOKEN","grants":{}}}}""", "its token is another principal's too")]
    [InlineData("""{"principals":{"a:b":{"token":"TOKEN","grants":{}}}}""", "without ':'")]
    [InlineData("""{"principals":""", "not valid JSON")]
    public void Parse_Mistakes_RefuseTheWholeFileNamingThePlace(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => AclFile.Parse(json.Replace("TOKEN", Token, StringComparison.Ordinal)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PasswordHash_VerifiesOnlyTheRightPassword()
    {
        Assert.True(PasswordHash.Verify("secret", Hash));
        Assert.False(PasswordHash.Verify("Secret", Hash));
        Assert.NotEqual(Hash, PasswordHash.Create("secret", 10_000)); // salted
        Assert.Throws<FormatException>(() => PasswordHash.Validate("pbkdf2-sha256:5:AAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAA=="));
    }
}
