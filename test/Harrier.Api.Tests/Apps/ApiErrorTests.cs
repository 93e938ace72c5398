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
    public void ToJson_ReturnsIndependentCopies()
    {
        var error = new ApiError(422, "m", new JsonArray(1));

        var first = error.ToJson();
        first["details"]!.AsArray().Add(2);

        Assert.Equal("""{"message":"m","details":[1]}""", error.ToJson().ToJsonString(Relaxed));
    }
}
