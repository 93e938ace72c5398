using System.Security.Cryptography;
using System.Text;
using Harrier.Core.Apps;
using Harrier.Linux;

namespace Harrier.Agent;

/// <summary>
/// The Mesos fetcher: downloads <c>file://</c> and <c>http(s)://</c> URIs into a task's sandbox, optionally through
/// a cache keyed by user and URI (as Mesos' is), extracts archives (.tar, .tgz/.tar.gz, .tar.bz2, .tar.xz, .zip) and
/// marks files executable.
/// Invariants: a local file is read with the task user's rights (<see cref="UserFileReader"/>), never the agent's;
/// every write goes through <see cref="BeneathDirectory"/> rooted at the sandbox, so neither <c>destPath</c> nor an
/// archive entry can name a path outside it or write through a link (<see cref="ArchiveExtractor"/>).
/// </summary>
internal sealed class UriFetcher
{
    private static readonly string[] ArchiveSuffixes = [".tar", ".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz", ".zip"];
    private const uint FileMode = 0b110_100_100;
    private const uint ExecutableMode = 0b111_101_101;
    private readonly HttpClient _http;
    private readonly string _cacheDir;

    public UriFetcher(HttpClient http, string cacheDir)
    {
        _http = http;
        _cacheDir = cacheDir;
    }

    /// <summary>
    /// Fetches one URI for a task running as <paramref name="user"/> (null: as the agent itself); throws
    /// <see cref="FetchException"/> with a user-facing message on failure.
    /// </summary>
    public async Task FetchAsync(FetchUri uri, string sandbox, UnixUser? user, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(uri.Uri, UriKind.Absolute, out var parsed))
        {
            throw new FetchException($"Failed to fetch '{uri.Uri}': not an absolute URI");
        }
        var name = Path.GetFileName(Uri.UnescapeDataString(parsed.AbsolutePath));
        if (string.IsNullOrEmpty(name))
        {
            throw new FetchException($"Failed to fetch '{uri.Uri}': the URI names no file");
        }
        var relative = uri.DestPath ?? name;
        if (BeneathDirectory.Components(relative) is not { Length: > 0 } components)
        {
            throw new FetchException($"Failed to fetch '{uri.Uri}': destination '{uri.DestPath}' is outside the sandbox (absolute, or with '..')");
        }
        try
        {
            using var root = BeneathDirectory.Open(sandbox);
            var mode = uri.Executable ? ExecutableMode : FileMode;
            if (uri.Cache)
            {
                var cached = Path.Combine(_cacheDir, Key(user, uri.Uri), name);
                if (!File.Exists(cached))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
                    var temp = cached + ".partial-" + Environment.ProcessId + "-" + Environment.CurrentManagedThreadId;
                    await using (var file = new FileStream(temp, System.IO.FileMode.Create, FileAccess.Write))
                    {
                        await DownloadAsync(parsed, file, user, cancellationToken);
                    }
                    File.Move(temp, cached, overwrite: true);
                }
                await using var source = File.OpenRead(cached);
                await using var target = root.CreateFile(relative, mode);
                await source.CopyToAsync(target, cancellationToken);
            }
            else
            {
                try
                {
                    await using var target = root.CreateFile(relative, mode);
                    await DownloadAsync(parsed, target, user, cancellationToken);
                }
                catch
                {
                    // Nothing of a failed download stays in the sandbox.
                    try
                    {
                        root.DeleteFile(relative);
                    }
                    catch (IOException)
                    {
                        // The original failure is the one to report.
                    }
                    throw;
                }
            }
            if (!uri.Executable && uri.Extract && IsArchive(name))
            {
                await using var archive = root.OpenRegularFile(relative) ?? throw new IOException("the downloaded file is gone");
                await ArchiveExtractor.ExtractAsync(archive, name, root, string.Join('/', components[..^1]), cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            throw new FetchException($"Failed to fetch '{uri.Uri}': {e.Message}", e);
        }
    }

    private async Task DownloadAsync(Uri uri, Stream destination, UnixUser? user, CancellationToken cancellationToken)
    {
        switch (uri.Scheme)
        {
            case "file":
                await UserFileReader.CopyAsync(uri.LocalPath, user, destination, cancellationToken);
                break;
            case "http" or "https":
                using (var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken))
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                    }
                    await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
                    await source.CopyToAsync(destination, cancellationToken);
                }
                break;
            default:
                throw new IOException($"unsupported URI scheme '{uri.Scheme}'");
        }
    }

    private static bool IsArchive(string name)
    {
        var lower = name.ToLowerInvariant();
        return ArchiveSuffixes.Any(s => lower.EndsWith(s, StringComparison.Ordinal));
    }

    /// <summary>Per user as well as per URI: a file one user could read must not reach another through the cache.</summary>
    private static string Key(UnixUser? user, string uri) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes((user?.Name ?? "") + "\n" + uri)))[..32];
}
