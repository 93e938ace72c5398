using System.Globalization;

namespace Harrier.Networking.Isolation;

/// <summary>
/// Hands each container one aligned block of <c>perContainer</c> ports from the agent's <c>ephemeral_ports</c> ranges
/// (as Mesos' port-mapping isolator does), one file per block in a directory, like <see cref="IpAllocator"/>: creating
/// the file is the allocation, it survives an agent crash, and it names its owner so a dead task's block can be freed.
/// </summary>
public sealed class EphemeralPortAllocator
{
    private readonly Lock _gate = new();
    private readonly string _directory;
    private readonly IReadOnlyList<PortBlock> _blocks;

    public EphemeralPortAllocator(IEnumerable<(int Begin, int End)> ranges, int perContainer, string directory)
    {
        if (perContainer < 1 || (perContainer & (perContainer - 1)) != 0)
        {
            throw new ArgumentException($"ephemeral ports per container must be a power of 2, not {perContainer}", nameof(perContainer));
        }
        var blocks = new List<PortBlock>();
        foreach (var (begin, end) in ranges.OrderBy(r => r.Begin))
        {
            for (var at = (begin + perContainer - 1) / perContainer * perContainer; at + perContainer - 1 <= end; at += perContainer)
            {
                blocks.Add(new PortBlock(at, perContainer));
            }
        }
        _blocks = blocks;
        _directory = directory;
        Directory.CreateDirectory(directory);
    }

    /// <summary>How many containers the ranges hold.</summary>
    public int Capacity => _blocks.Count;

    /// <summary>The owner's block: the one it holds (a retried launch), else the lowest free one.</summary>
    public EphemeralPortRange Allocate(string owner)
    {
        lock (_gate)
        {
            if (Find(owner) is { } held)
            {
                return held;
            }
            for (var slot = 0; slot < _blocks.Count; slot++)
            {
                try
                {
                    using var file = new FileStream(PathOf(_blocks[slot]), FileMode.CreateNew, FileAccess.Write);
                    file.Write(System.Text.Encoding.UTF8.GetBytes(owner));
                    file.Flush(flushToDisk: true);
                    return new EphemeralPortRange(slot, _blocks[slot], owner);
                }
                catch (IOException) when (File.Exists(PathOf(_blocks[slot])))
                {
                    // Taken: try the next one.
                }
            }
            throw new NetworkSetupException($"no ephemeral port range left: all {_blocks.Count} ranges of {(_blocks.Count > 0 ? _blocks[0].Size : 0)} ports are in use");
        }
    }

    public EphemeralPortRange? Find(string owner) => Allocations().FirstOrDefault(a => a.Owner == owner);

    /// <summary>Frees the owner's block. Idempotent.</summary>
    public void Release(string owner)
    {
        lock (_gate)
        {
            foreach (var allocation in Allocations().Where(a => a.Owner == owner))
            {
                File.Delete(PathOf(allocation.Block));
            }
        }
    }

    /// <summary>Every block held, with its owner.</summary>
    public IReadOnlyList<EphemeralPortRange> Allocations()
    {
        var result = new List<EphemeralPortRange>();
        for (var slot = 0; slot < _blocks.Count; slot++)
        {
            var path = PathOf(_blocks[slot]);
            try
            {
                if (File.Exists(path))
                {
                    result.Add(new EphemeralPortRange(slot, _blocks[slot], File.ReadAllText(path)));
                }
            }
            catch (IOException)
            {
                // Released meanwhile.
            }
        }
        return result;
    }

    private string PathOf(PortBlock block) =>
        Path.Combine(_directory, block.Begin.ToString(CultureInfo.InvariantCulture) + "-" + block.End.ToString(CultureInfo.InvariantCulture));
}
