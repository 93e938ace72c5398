namespace Harrier.Core.Hosting;

/// <summary>
/// What every Harrier daemon gives the .NET host builder it starts from. By default the builder reads
/// <c>appsettings.json</c> from the working directory and watches that directory, recursively, for changes: one inotify
/// watch per directory under wherever the daemon was started (498 under the repository; every layer, bundle and sandbox
/// directory when the data directory is below it, as with <c>scripts/dev.sh</c>'s <c>./.harrier</c>), and a thread
/// that stats each new directory to watch it too. Harrier takes no settings from files, so the content root is the
/// installation and nothing is watched.
/// </summary>
public static class DaemonBuilderDefaults
{
    /// <summary>Host-builder arguments: no reloading of configuration files, so no file watcher.</summary>
    public static string[] Args => ["--hostBuilder:reloadConfigOnChange=false"];

    /// <summary>The content root: the installation's directory, not the working directory.</summary>
    public static string ContentRoot => AppContext.BaseDirectory;
}
