namespace Harrier.Protocol;

/// <summary>An agent's answer to an <see cref="AgentQueryCommand"/>: an HTTP status and a JSON body (Marathon's
/// <c>{"message": …}</c> shape on errors), which the server passes to its client as it is.</summary>
public sealed record AgentQueryAnswer(int Status, string Json);
