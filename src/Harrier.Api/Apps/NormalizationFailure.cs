namespace Harrier.Api.Apps;

/// <summary>
/// Marathon's <c>NormalizationException</c>: a body whose deprecated and canonical fields contradict each other.
/// Marathon answers 500; Harrier answers 422 with the same message (a documented deviation).
/// </summary>
internal sealed class NormalizationFailure(string message) : Exception(message);
