using Microsoft.Extensions.Hosting;

namespace Harrier.TestApp;

/// <summary>
/// Replaces the console lifetime, which would stop the host on SIGTERM no matter what; the app wires its own
/// signal handling so that <c>--ignore-sigterm</c> can really ignore it.
/// </summary>
internal sealed class SignalFreeLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
