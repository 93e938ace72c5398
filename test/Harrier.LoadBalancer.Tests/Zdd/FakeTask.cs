namespace Harrier.LoadBalancer.Tests.Zdd;

internal sealed record FakeTask(string Id, int Port);
