using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Harrier.Drivers.Images;

/// <summary>
/// The image records on disk: <c>images/&lt;sha256 of the normalized reference&gt;.json</c>, each written to a
/// temporary file, flushed and renamed, so a record is always whole. An unreadable record is skipped at load (its
/// image is pulled again when needed, and garbage collection reclaims what only it referenced).
/// </summary>
internal sealed class ImageRecordFiles
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly string _directory;

    public ImageRecordFiles(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
    }

    public IEnumerable<ImageRecord> LoadAll()
    {
        foreach (var file in Directory.EnumerateFiles(_directory, "*.json"))
        {
            ImageRecord? record;
            try
            {
                record = JsonSerializer.Deserialize<ImageRecord>(File.ReadAllBytes(file), Json);
            }
            catch (JsonException)
            {
                continue;
            }
            if (record is not null)
            {
                yield return record;
            }
        }
    }

    public void Write(ImageRecord record)
    {
        var path = PathOf(record.Reference);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(file, record, Json);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    public void Delete(string reference) => File.Delete(PathOf(reference));

    private string PathOf(string reference) =>
        Path.Combine(_directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reference))) + ".json");
}
