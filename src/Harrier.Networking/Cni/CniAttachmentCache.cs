using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harrier.Networking.Cni;

/// <summary>
/// The attachments of this agent, one JSON file each in a directory, written atomically (temporary file, flush,
/// rename) so a crash leaves either the old record or the new one. The intent is saved before an ADD runs and the
/// result after it, so whatever a crash interrupts is found and deleted at the next start.
/// </summary>
public sealed class CniAttachmentCache
{
    private readonly string _directory;

    /// <summary>The directory is made with the first record.</summary>
    public CniAttachmentCache(string directory) => _directory = directory;

    public void Save(CniAttachmentRecord record)
    {
        var mappings = new JsonArray();
        foreach (var m in record.PortMappings)
        {
            mappings.Add(new JsonObject { ["hostPort"] = m.HostPort, ["containerPort"] = m.ContainerPort, ["protocol"] = m.Protocol });
        }
        var json = new JsonObject
        {
            ["owner"] = record.Owner,
            ["network"] = record.Network,
            ["containerId"] = record.ContainerId,
            ["ifName"] = record.IfName,
            ["netns"] = record.NetnsPath,
            ["portMappings"] = mappings,
            ["config"] = JsonNode.Parse(record.Config),
            ["result"] = record.Result is null ? null : JsonNode.Parse(record.Result),
        };
        Directory.CreateDirectory(_directory);
        var path = PathOf(record.Owner, record.IfName);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            file.Write(Encoding.UTF8.GetBytes(json.ToJsonString()));
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public CniAttachmentRecord? Find(string owner, string ifName) =>
        File.Exists(PathOf(owner, ifName)) && Read(PathOf(owner, ifName)) is { } record && record.Owner == owner ? record : null;

    public void Remove(CniAttachmentRecord record) => File.Delete(PathOf(record.Owner, record.IfName));

    /// <summary>Every readable record (a file that is not one is left alone).</summary>
    public IReadOnlyList<CniAttachmentRecord> All() =>
        Directory.Exists(_directory) ? [.. Directory.EnumerateFiles(_directory, "*.json").Select(Read).OfType<CniAttachmentRecord>()] : [];

    private string PathOf(string owner, string ifName) => Path.Combine(_directory, LinkNames.Hash(owner, 20) + "-" + ifName + ".json");

    private static CniAttachmentRecord? Read(string path)
    {
        try
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is not JsonObject o)
            {
                return null;
            }
            var mappings = (o["portMappings"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .Select(m => new CniPortMapping((int?)m["hostPort"] ?? 0, (int?)m["containerPort"] ?? 0, (string?)m["protocol"] ?? "tcp"))
                .ToList();
            return new CniAttachmentRecord(
                (string?)o["owner"] ?? "",
                (string?)o["network"] ?? "",
                (string?)o["containerId"] ?? "",
                (string?)o["ifName"] ?? "",
                (string?)o["netns"] ?? "",
                mappings,
                o["config"]?.ToJsonString() ?? "{}",
                o["result"]?.ToJsonString());
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
