using System.Buffers;
using System.Text.Json;
using Harrier.Api.Http;
using Harrier.Api.Security;
using Harrier.Core.Ids;
using Harrier.Server.Events;

namespace Harrier.Api.Json;

/// <summary>
/// Deployment-plan events rendered once and shared by every <c>/v2/events</c> subscriber that would render the same
/// bytes: same event (sequence number and Marathon type), same plan format, same view of the tree (every principal that
/// reads all of <c>/</c> sees the same; any other principal has its own entry). A heavy plan (<c>plan-format=full</c>)
/// is two whole root groups, so without this S subscribers cost S renderings of them per event. The first subscriber
/// to need an entry renders it (against the snapshot it holds); the others wait for and reuse its bytes. Bounded: the
/// oldest entries go once the rendered bytes pass <see cref="BudgetBytes"/> (the newest entry always stays).
/// </summary>
internal sealed class EventRenderCache
{
    /// <summary>Subscribers read the same events within a batch or two of each other; this holds many heavy plans.</summary>
    public const long BudgetBytes = 32L * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<Key, Lazy<byte[]>> _entries = [];
    private readonly Dictionary<Key, int> _sizes = [];
    private readonly Queue<Key> _order = new();
    private long _bytes;

    /// <summary>Whether <paramref name="e"/>'s JSON carries a plan (the events worth sharing).</summary>
    public static bool Shares(ClusterEvent e) => e is DeploymentStepEvent or DeploymentSuccessEvent or DeploymentFailedEvent;

    /// <summary>Rendered entries (tests).</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The JSON of event <paramref name="sequence"/>'s <paramref name="type"/> as <paramref name="write"/> writes it, rendered once per key.</summary>
    public byte[] GetOrRender(long sequence, string type, bool fullPlans, Principal principal, Action<Utf8JsonWriter> write)
    {
        var key = new Key(sequence, type, fullPlans, SeesEverything(principal) ? null : principal);
        Lazy<byte[]>? entry;
        var added = false;
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out entry))
            {
                entry = new Lazy<byte[]>(() => Render(write), LazyThreadSafetyMode.ExecutionAndPublication);
                _entries[key] = entry;
                _order.Enqueue(key);
                added = true;
            }
        }
        // Rendered outside the lock: other events are not held up, and subscribers of this one wait on the Lazy.
        var bytes = entry.Value;
        if (added)
        {
            lock (_gate)
            {
                if (_entries.ContainsKey(key))
                {
                    _sizes[key] = bytes.Length;
                    _bytes += bytes.Length;
                }
                while (_bytes > BudgetBytes && _order.Count > 1)
                {
                    var old = _order.Dequeue();
                    _entries.Remove(old);
                    if (_sizes.Remove(old, out var size))
                    {
                        _bytes -= size;
                    }
                }
            }
        }
        return bytes;
    }

    private static bool SeesEverything(Principal principal) =>
        principal.Grants.Any(g => g.Action >= AccessAction.Read && g.IsPrefix && g.Covers(PathId.Root));

    private static byte[] Render(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, JsonResponse.WriterOptions))
        {
            write(json);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <param name="Principal">Null for every principal that reads everything; else the principal itself (by reference).</param>
    private readonly record struct Key(long Sequence, string Type, bool FullPlans, Principal? Principal);
}
