using Harrier.Api.Apps;
using Xunit;

namespace Harrier.Api.Tests.Apps;

public sealed class UserValidatorTests
{
    private static readonly AppReadContext Restricted = new() { AllowedUsers = new HashSet<string>(StringComparer.Ordinal) { "nobody", "www-data" } };

    [Fact]
    public void ReadApp_UserOutsideAllowedUsers_Is422OnUser()
    {
        var error = AppJson.ReadFailed("{'id':'/a','cmd':'sleep 1','user':'root'}", Restricted);

        Assert.Equal(422, error.Status);
        Assert.Equal([UserValidator.NotAllowed("root")], AppJson.ErrorsAt(error, "/user"));
    }

    [Fact]
    public void ReadApp_DockerUserParameterOutsideAllowedUsers_Is422OnThatParameter()
    {
        var error = AppJson.ReadFailed(
            "{'id':'/a','container':{'type':'DOCKER','docker':{'image':'busybox','parameters':[{'key':'user','value':'root:root'}]}}}", Restricted);

        Assert.Equal([UserValidator.NotAllowed("root")], AppJson.ErrorsAt(error, "/container/docker/parameters(0)/value"));
    }

    [Theory]
    [InlineData("{'id':'/a','cmd':'sleep 1','user':'nobody'}")]
    [InlineData("{'id':'/a','cmd':'sleep 1'}")]
    [InlineData("{'id':'/a','container':{'type':'DOCKER','docker':{'image':'busybox','parameters':[{'key':'user','value':'www-data:www-data'}]}}}")]
    public void ReadApp_AllowedOrNoUser_IsAccepted(string json) => AppJson.ReadOk(json, Restricted);

    [Fact]
    public void ReadApp_WithoutAllowedUsers_AcceptsAnyUser() => Assert.Equal("root", AppJson.ReadOk("{'id':'/a','cmd':'sleep 1','user':'root'}").User);
}
