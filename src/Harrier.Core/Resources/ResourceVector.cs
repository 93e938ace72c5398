namespace Harrier.Core.Resources;

/// <summary>Scalar resources: cpus (cores), mem and disk (MiB), gpus.</summary>
public readonly record struct ResourceVector(double Cpus, double Mem, double Disk, int Gpus = 0)
{
    public static ResourceVector Zero => default;

    public static ResourceVector operator +(ResourceVector a, ResourceVector b) =>
        new(a.Cpus + b.Cpus, a.Mem + b.Mem, a.Disk + b.Disk, a.Gpus + b.Gpus);

    public static ResourceVector operator -(ResourceVector a, ResourceVector b) =>
        new(a.Cpus - b.Cpus, a.Mem - b.Mem, a.Disk - b.Disk, a.Gpus - b.Gpus);

    /// <summary>True when every component of <paramref name="need"/> fits (with a small epsilon for doubles).</summary>
    public bool Covers(ResourceVector need) =>
        Cpus + 1e-9 >= need.Cpus && Mem + 1e-9 >= need.Mem && Disk + 1e-9 >= need.Disk && Gpus >= need.Gpus;
}
