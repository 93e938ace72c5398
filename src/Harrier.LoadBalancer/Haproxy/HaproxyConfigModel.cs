using System.Text;

namespace Harrier.LoadBalancer.Haproxy;

/// <summary>
/// A configuration split into its <em>shape</em> (the text with the server lines of <c>backend</c> and <c>listen</c>
/// sections removed) and those server lines. Two configurations with the same shape differ only in servers, which
/// the runtime API can change without a reload. Section headers start in column 0 and their lines are indented, as
/// HAProxy and marathon-lb's templates write them.
/// </summary>
internal sealed class HaproxyConfigModel
{
    private HaproxyConfigModel(string text, string shape, IReadOnlyDictionary<(string Backend, string Name), ServerLine> servers, string? problem)
    {
        Text = text;
        Shape = shape;
        Servers = servers;
        RuntimeProblem = problem;
    }

    public string Text { get; }

    public string Shape { get; }

    public IReadOnlyDictionary<(string Backend, string Name), ServerLine> Servers { get; }

    /// <summary>Non-null when the servers cannot be managed at runtime (a duplicate name): such a config always reloads.</summary>
    public string? RuntimeProblem { get; }

    public static readonly HaproxyConfigModel Empty = Parse("");

    public static HaproxyConfigModel Parse(string text)
    {
        var shape = new StringBuilder(text.Length);
        var servers = new Dictionary<(string, string), ServerLine>();
        string? problem = null;
        string? proxy = null;
        foreach (var line in text.Split('\n'))
        {
            var words = line.Split((char[]?)[' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (line.Length > 0 && line[0] is not (' ' or '\t' or '#'))
            {
                // A section header: only backends and listens hold servers the runtime API manages.
                proxy = words.Length >= 2 && words[0] is "backend" or "listen" ? words[1] : null;
            }
            else if (proxy is not null && words.Length >= 3 && words[0] == "server")
            {
                var server = new ServerLine(proxy, words[1], words[2], words[3..]);
                if (!servers.TryAdd((proxy, words[1]), server))
                {
                    problem ??= $"server {proxy}/{words[1]} appears twice";
                }
                continue;
            }
            shape.Append(line).Append('\n');
        }
        return new HaproxyConfigModel(text, shape.ToString(), servers, problem);
    }
}
