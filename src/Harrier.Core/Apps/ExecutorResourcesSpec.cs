namespace Harrier.Core.Apps;

public sealed record ExecutorResourcesSpec(double Cpus = 0.1, double Mem = 32, double Disk = 10);
