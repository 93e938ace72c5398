using System.Globalization;

namespace Harrier.Bench;

internal sealed record BenchArgs(IReadOnlyDictionary<string, string> Values)
{
    public static BenchArgs Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }
        return new BenchArgs(values);
    }

    public int Int(string name, int fallback) =>
        Values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
