using Harrier.Core.Networks;
using System.Net;

namespace Harrier.Networking;

/// <summary>
/// Addresses of one subnet handed out to owners (task keys), one file per address in a directory (like CNI's
/// host-local): creating the file is the allocation, so two launches can never get the same address and an
/// allocation survives an agent crash. The file holds the owner, so what a dead task held can be found and freed.
/// The network address, the gateway (.1) and the broadcast address are never handed out.
/// </summary>
public sealed class IpAllocator
{
    private readonly Lock _gate = new();
    private readonly string _directory;
    private long _next = 2;

    public IpAllocator(Ipv4Cidr subnet, string directory)
    {
        Subnet = subnet;
        _directory = directory;
        System.IO.Directory.CreateDirectory(directory);
    }

    public Ipv4Cidr Subnet { get; }

    /// <summary>The owner's address: the one it already holds (a retried launch), else the next free one.</summary>
    public IPAddress Allocate(string owner)
    {
        lock (_gate)
        {
            if (Find(owner) is { } held)
            {
                return held;
            }
            var size = Subnet.Size;
            for (long tried = 0; tried < size; tried++)
            {
                var offset = _next;
                _next = _next + 1 >= size - 1 ? 2 : _next + 1;
                if (offset < 2 || offset >= size - 1)
                {
                    continue;
                }
                var address = Subnet.At(offset);
                try
                {
                    using var file = new FileStream(PathOf(address), FileMode.CreateNew, FileAccess.Write);
                    var bytes = System.Text.Encoding.UTF8.GetBytes(owner);
                    file.Write(bytes);
                    file.Flush(flushToDisk: true);
                    return address;
                }
                catch (IOException) when (File.Exists(PathOf(address)))
                {
                    // Taken: try the next one.
                }
            }
            throw new NetworkSetupException($"no free address left in {Subnet}");
        }
    }

    /// <summary>The address <paramref name="owner"/> holds, or null.</summary>
    public IPAddress? Find(string owner) =>
        Allocations().Where(a => a.Owner == owner).Select(a => a.Address).FirstOrDefault();

    /// <summary>Frees every address <paramref name="owner"/> holds. Idempotent.</summary>
    public void Release(string owner)
    {
        lock (_gate)
        {
            foreach (var (address, o) in Allocations())
            {
                if (o == owner)
                {
                    File.Delete(PathOf(address));
                }
            }
        }
    }

    /// <summary>Every allocation (address and owner).</summary>
    public IReadOnlyList<(IPAddress Address, string Owner)> Allocations()
    {
        var result = new List<(IPAddress, string)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(_directory))
        {
            if (!IPAddress.TryParse(Path.GetFileName(path), out var address) || !Subnet.Contains(address))
            {
                continue;
            }
            try
            {
                result.Add((address, File.ReadAllText(path)));
            }
            catch (IOException)
            {
                // Released meanwhile.
            }
        }
        return result;
    }

    private string PathOf(IPAddress address) => Path.Combine(_directory, address.ToString());
}
