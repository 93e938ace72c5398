using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harrier.Api.Errors;
using Xunit;

namespace Harrier.Api.Tests.Apps;

public sealed class ApiErrorTests
{
    // Jackson does not escape quotes or apostrophes; the HTTP layer should write with a relaxed encoder too.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public void InvalidJson_DetailsIsTheParserMessageString()
    {
        var error = ApiError.InvalidJson("Unexpected character ('}' (code 125))");

        Assert.Equal(400, error.Status);
        Assert.Equal("""{"message":"Invalid JSON","details":"Unexpected character ('}' (code 125))"}""", error.ToJson().ToJsonString(Relaxed));
    }

    [Fact]
    public void EmptyBody_Is400WithMarathonMessage()
    {
        var error = ApiError.EmptyBody();

        Assert.Equal(400, error.Status);
        Assert.Equal("Please specify data in JSON format", (string?)error.ToJson()["message"]);
    }

    [Fact]
    public void ValidationFailed_GroupsErrorsByPathInFirstSeenOrder()
    {
        var error = ApiError.ValidationFailed([new Violation("/a", "x"), new Violation("/", "y"), new Violation("/a", "z"), new Violation("/a", "x")]);

        Assert.Equal(422, error.Status);
        Assert.Equal(
            """{"message":"Object is not valid","details":[{"path":"/a","errors":["x","z"]},{"path":"/","errors":["y"]}]}""",
            error.ToJson().ToJsonString(Relaxed));
    }

    [Fact]
    public void NotFoundAndConflict_HaveOnlyAMessage()
    {
        Assert.Equal("""{"message":"App '/x' does not exist"}""", ApiError.NotFound("App '/x' does not exist").ToJson().ToJsonString(Relaxed));
        Assert.Equal(409, ApiError.Conflict("An app with id [/x] already exists.").Status);
    }

    [Fact]
    public void Locked_AddsDeploymentsList()
    {
        var json = ApiError.Locked(["d1"]).ToJson();

        Assert.Equal("App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/d1'.", (string?)json["message"]);
        Assert.Equal("""[{"id":"d1"}]""", json["deployments"]!.ToJsonString());
    }

    [Fact]
    public void ToJson_ReturnsIndependentCopies()
    {
        var error = new ApiError(422, "m", new JsonArray(1), new JsonObject { ["k"] = 1 });

        var first = error.ToJson();
        first["details"]!.AsArray().Add(2);

        Assert.Equal("""{"message":"m","details":[1],"k":1}""", error.ToJson().ToJsonString(Relaxed));
    }
}
