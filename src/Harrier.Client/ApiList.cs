using System.Text.Json.Nodes;

namespace Harrier.Client;

/// <summary>A list answer: the typed items and the whole body the server sent (an object or, for deployments, an array).</summary>
public sealed record ApiList<T>(IReadOnlyList<T> Items, JsonNode Raw);
