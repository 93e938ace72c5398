using Harrier.Api.Errors;

namespace Harrier.Api.Apps;

/// <summary>The body was rejected; <see cref="Error"/> is the response to send.</summary>
public sealed record AppReadFailed(ApiError Error) : AppReadResult;
