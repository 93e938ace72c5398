using Harrier.Api.Http;
using Microsoft.AspNetCore.Http;
using Shouldly;
using Xunit;

namespace Harrier.Api.Tests.Http;

public sealed class RequestGuardTests
{
    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST:8080", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.3.4.5:31000", true)]
    [InlineData("[::1]", true)]
    [InlineData("[::1]:8080", true)]
    [InlineData("", true)]
    [InlineData("attacker.example", false)]
    [InlineData("localhost.attacker.example", false)]
    [InlineData("127.0.0.1.nip.io", false)]
    [InlineData("127.1", false)]
    [InlineData("2130706433", false)]
    [InlineData("10.0.0.1:8080", false)]
    [InlineData("[::2]", false)]
    [InlineData("localhost:80x", false)]
    [InlineData("[::1]evil", false)]
    public void IsLoopbackHost_NamesAndAddresses(string host, bool loopback) => RequestGuard.IsLoopbackHost(host).ShouldBe(loopback);

    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/json; charset=utf-8", true)]
    [InlineData("Application/JSON; charset=UTF-8", true)]
    [InlineData("application/vnd.marathon+json", true)]
    [InlineData("application/json; charset=utf-16", false)]
    [InlineData("text/plain", false)]
    [InlineData("text/json", false)]
    [InlineData("application/x-www-form-urlencoded", false)]
    [InlineData("multipart/form-data; boundary=x", false)]
    [InlineData(null, false)]
    [InlineData("garbage", false)]
    public void IsJson_MediaTypes(string? contentType, bool json) => RequestGuard.IsJson(contentType).ShouldBe(json);

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("localhost", true)]
    [InlineData("::1", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::", false)]
    [InlineData("10.1.2.3", false)]
    public void IsLoopbackAddress_BindAddresses(string address, bool loopback) => RequestGuardOptions.IsLoopbackAddress(address).ShouldBe(loopback);

    [Fact]
    public void Check_ForeignHostWhenNotLoopbackOnly_IsAnswered()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/v2/apps";
        context.Request.Headers.Host = "attacker.example";

        RequestGuard.Check(context, new RequestGuardOptions()).Status.ShouldBe(0);
        RequestGuard.Check(context, new RequestGuardOptions { LoopbackHostsOnly = true }).Status.ShouldBe(421);
    }

    [Fact]
    public void Check_LogUploadWithoutContentType_IsNotAJsonEndpoint()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/harrier/v1/agents/logs/5f0c7a4e-2d8b-4d61-9c1e-0a9b8c7d6e5f";
        context.Request.ContentLength = 10;

        RequestGuard.Check(context, new RequestGuardOptions()).Status.ShouldBe(0);
        context.Request.Path = "/v2/apps";
        RequestGuard.Check(context, new RequestGuardOptions()).Status.ShouldBe(415);
    }
}
