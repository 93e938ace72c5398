using System.Text;
using Harrier.Api.Security;
using Xunit;

namespace Harrier.Api.Tests.Security;

public sealed class AuthenticatorTests
{
    private static string Basic(string pair) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair));

    private static Authenticator Create()
    {
        var options = new AuthOptions();
        options.Credentials.Add(new("admin", "pw:with:colons"));
        options.Acl.Add(new AclEntry("alice", PasswordHash.Create("alice-pw", 10_000), null, [PathGrant.Parse("/dev/*", AccessAction.Write)]));
        options.Acl.Add(new AclEntry("ci", null, TokenHash.Of("hrt_ci"), [PathGrant.Parse("/dev/web", AccessAction.Read)]));
        return new Authenticator(options);
    }

    [Fact]
    public async Task AuthenticateAsync_Off_EveryoneIsUnrestricted()
    {
        using var off = new Authenticator(new AuthOptions());
        Assert.Same(Principal.Unrestricted, await off.AuthenticateAsync(null, default));
    }

    [Fact]
    public async Task AuthenticateAsync_CredentialsPasswordsAndTokens()
    {
        using var auth = Create();
        var admin = await auth.AuthenticateAsync(Basic("admin:pw:with:colons"), default);
        Assert.True(admin!.IsClusterAdmin);
        var alice = await auth.AuthenticateAsync(Basic("alice:alice-pw"), default);
        Assert.Equal("alice", alice!.Name);
        Assert.False(alice.IsClusterAdmin);
        // A second time comes from the cache and is the same verdict.
        Assert.Equal("alice", (await auth.AuthenticateAsync(Basic("alice:alice-pw"), default))!.Name);
        Assert.Equal("ci", (await auth.AuthenticateAsync("Bearer hrt_ci", default))!.Name);
        Assert.Equal("ci", (await auth.AuthenticateAsync("bearer  hrt_ci ", default))!.Name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic")]
    [InlineData("Basic !!!notbase64")]
    [InlineData("Bearer hrt_other")]
    [InlineData("Digest abc")]
    public async Task AuthenticateAsync_NothingProven_IsNull(string? header)
    {
        using var auth = Create();
        Assert.Null(await auth.AuthenticateAsync(header, default));
    }

    [Theory]
    [InlineData("admin:wrong")]
    [InlineData("alice:wrong")]
    [InlineData("bob:alice-pw")]
    [InlineData("alice")]
    [InlineData("ci:hrt_ci")]
    public async Task AuthenticateAsync_WrongBasicCredentials_IsNull(string pair)
    {
        using var auth = Create();
        Assert.Null(await auth.AuthenticateAsync(Basic(pair), default));
        Assert.Null(await auth.AuthenticateAsync(Basic(pair), default)); // cached verdict
    }
}
