namespace Harrier.Client;

/// <summary>An action of a deployment step: <c>ScaleApplication /foo</c>; <see cref="Target"/> is the app or pod id.</summary>
public sealed record DeploymentAction(string Action, string Target);
