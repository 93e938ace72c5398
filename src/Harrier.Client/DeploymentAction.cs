namespace Harrier.Client;

/// <summary>
/// An action of a deployment step: <c>ScaleApplication /foo</c>; <see cref="Target"/> is the app or pod id.
/// <see cref="Reason"/> (Harrier) says what the running action waits for, when it waits.
/// </summary>
public sealed record DeploymentAction(string Action, string Target, WaitReason? Reason = null);
