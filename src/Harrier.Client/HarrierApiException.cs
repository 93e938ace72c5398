using System.Text.Json.Nodes;

namespace Harrier.Client;

/// <summary>
/// The server answered with a non-2xx status. <see cref="Exception.Message"/> is Marathon's <c>message</c> field (or the
/// body / reason phrase when the body is not Marathon's error JSON); <see cref="Details"/> is its <c>details</c>, which is
/// a string for parse errors and an array of <c>{path, errors}</c> for validation errors.
/// </summary>
public sealed class HarrierApiException : Exception
{
    public HarrierApiException(int status, string message, JsonNode? details, string rawBody)
        : base(message)
    {
        Status = status;
        Details = details;
        RawBody = rawBody;
    }

    public HarrierApiException()
        : this(0, "API error", null, "")
    {
    }

    public HarrierApiException(string message)
        : this(0, message, null, "")
    {
    }

    public HarrierApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        RawBody = "";
    }

    public int Status { get; }

    public JsonNode? Details { get; }

    public string RawBody { get; }
}
