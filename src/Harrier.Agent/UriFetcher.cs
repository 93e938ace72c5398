using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Harrier.Core.Apps;

namespace Harrier.Agent;

/// <summary>
/// The Mesos fetcher: downloads <c>file://</c> and <c>http(s)://</c> URIs into a task's sandbox, optionally through
/// a cache keyed by URI, extracts archives (.tar, .tgz/.tar.gz, .tar.bz2, .tar.xz, .zip) and marks files executable.
/// </summary>
internal sealed class UriFetcher
{
    private static readonly string[] TarSuffixes = [".tar", ".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz"];
    private readonly HttpClient _http;
    private readonly string _cacheDir;

    public UriFetcher(HttpClient http, string cacheDir)
    {
        _http = http;
        _cacheDir = cacheDir;
    }

    /// <summary>Fetches one URI; throws <see cref="FetchException"/> with a user-facing message on failure.</summary>
    public async Task FetchAsync(FetchUri uri, string sandbox, CancellationToken cancellationToken)
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
        var target = Path.GetFullPath(Path.Combine(sandbox, uri.DestPath ?? name));
        if (!target.StartsWith(Path.GetFullPath(sandbox) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new FetchException($"Failed to fetch '{uri.Uri}': destination '{uri.DestPath}' is outside the sandbox");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            if (uri.Cache)
            {
                var cached = Path.Combine(_cacheDir, Key(uri.Uri), name);
                if (!File.Exists(cached))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
                    var temp = cached + ".partial-" + Environment.ProcessId + "-" + Environment.CurrentManagedThreadId;
                    await DownloadAsync(parsed, temp, cancellationToken);
                    File.Move(temp, cached, overwrite: true);
                }
                File.Copy(cached, target, overwrite: true);
            }
            else
            {
                await DownloadAsync(parsed, target, cancellationToken);
            }
            if (uri.Executable && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, File.GetUnixFileMode(target) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
            else if (uri.Extract)
            {
                await ExtractAsync(target, Path.GetDirectoryName(target)!, cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new FetchException($"Failed to fetch '{uri.Uri}': {e.Message}", e);
        }
    }

    private async Task DownloadAsync(Uri uri, string path, CancellationToken cancellationToken)
    {
        switch (uri.Scheme)
        {
            case "file":
                File.Copy(uri.LocalPath, path, overwrite: true);
                break;
            case "http" or "https":
                using (var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken))
                {
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                    }
                    await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
                    await using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
                    await source.CopyToAsync(file, cancellationToken);
                }
                break;
            default:
                throw new IOException($"unsupported URI scheme '{uri.Scheme}'");
        }
    }

    private static async Task ExtractAsync(string archive, string directory, CancellationToken cancellationToken)
    {
        var lower = archive.ToLowerInvariant();
        if (lower.EndsWith(".zip", StringComparison.Ordinal))
        {
            await ZipFile.ExtractToDirectoryAsync(archive, directory, overwriteFiles: true, cancellationToken);
            return;
        }
        if (!TarSuffixes.Any(s => lower.EndsWith(s, StringComparison.Ordinal)))
        {
            return;
        }
        // tar(1) picks the decompressor (gzip, bzip2, xz) from the file itself.
        var start = new ProcessStartInfo("tar") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-xf", archive, "-C", directory, "--no-same-owner" })
        {
            start.ArgumentList.Add(arg);
        }
        using var tar = Process.Start(start) ?? throw new IOException("cannot start tar");
        var error = await tar.StandardError.ReadToEndAsync(cancellationToken);
        await tar.WaitForExitAsync(cancellationToken);
        if (tar.ExitCode != 0)
        {
            throw new IOException($"extracting failed: {error.Trim()}");
        }
    }

    private static string Key(string uri) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(uri)))[..32];
}
