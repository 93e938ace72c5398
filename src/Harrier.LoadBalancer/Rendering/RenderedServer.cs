namespace Harrier.LoadBalancer.Rendering;

/// <summary>A <c>server</c> line of a backend and the Marathon task behind it.</summary>
/// <param name="Backend">The backend's name (<c>my_group_app_10010</c>).</param>
/// <param name="Server">The server's name (<c>agent1_1_1_1_1_1024</c>).</param>
/// <param name="TaskId">The task id, null when the service was built without one (unit-test service models).</param>
/// <param name="AppId">The Marathon app id (before zdd's renaming).</param>
/// <param name="Draining">Rendered <c>disabled</c> (a zdd colour being drained).</param>
public sealed record RenderedServer(string Backend, string Server, string? TaskId, string AppId, bool Draining);
