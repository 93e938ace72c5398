namespace Harrier.Testing.Images;

/// <summary>
/// Stand-ins for the Docker Hub images the guides' example apps use, built from busybox and pushed under the
/// exact names the guides give (single names under <c>library/</c>, as Docker Hub names them):
/// <list type="bullet">
/// <item><c>dcoslabs/httpi:latest</c>: serves <c>3.1415926536</c> over HTTP on <c>$PORT_HTTP</c> (8080 without it).</item>
/// <item><c>mesosphere/inky:latest</c>: ENTRYPOINT <c>/bin/echo</c>, so it echoes its arguments and exits.</item>
/// <item><c>python:3</c>: <c>python -m http.server PORT</c> serves the working directory (busybox httpd).</item>
/// <item><c>armankoradia/demoapp:v1</c>: serves a page on port 80.</item>
/// </list>
/// Point the agent's <c>--registry-mirror</c> at the registry and the guides' app definitions run unchanged.
/// </summary>
public static class GuideImages
{
    public const string Httpi = "dcoslabs/httpi:latest";
    public const string Inky = "mesosphere/inky:latest";
    public const string Python = "library/python:3";
    public const string DemoApp = "armankoradia/demoapp:v1";

    /// <summary>What <see cref="Httpi"/> answers to <c>GET /</c> (plus a newline).</summary>
    public const string HttpiBody = "3.1415926536";

    /// <summary>What <see cref="DemoApp"/> answers to <c>GET /</c> (plus a newline).</summary>
    public const string DemoAppBody = "demoapp v1";

    /// <summary>Repository name and tag → image, for every stand-in.</summary>
    public static IReadOnlyDictionary<string, TestImageBuilder> All => new Dictionary<string, TestImageBuilder>
    {
        [Httpi] = HttpiImage(),
        [Inky] = InkyImage(),
        [Python] = PythonImage(),
        [DemoApp] = DemoAppImage(),
    };

    public static TestImageBuilder HttpiImage() => new TestImageBuilder().WithBusybox()
        .WithCmd("/bin/sh", "-c", $"mkdir -p /www && echo {HttpiBody} > /www/index.html && exec httpd -f -p ${{PORT_HTTP:-8080}} -h /www")
        .WithExposedPort("8080");

    public static TestImageBuilder InkyImage() => new TestImageBuilder().WithBusybox()
        .WithEntrypoint("/bin/echo")
        .WithCmd("inky");

    public static TestImageBuilder PythonImage() => new TestImageBuilder().WithBusybox()
        .WithLayer(l => l.Directory("usr/").Directory("usr/local/").Directory("usr/local/bin/")
            .Script("usr/local/bin/python", """
                #!/bin/sh
                # Stand-in for python: only `python -m http.server [PORT]`, which answers GET / with a listing of the
                # working directory as Python does (busybox httpd lists no directories, so the listing is a page).
                if [ "$1" = "-m" ] && [ "$2" = "http.server" ]; then
                  www=/tmp/python-http.server
                  mkdir -p "$www"
                  { echo "<title>Directory listing for /</title><h1>Directory listing for /</h1><ul>"
                    for f in *; do echo "<li><a href=\"$f\">$f</a></li>"; done
                    echo "</ul>"; } > "$www/index.html"
                  exec httpd -f -p "${3:-8000}" -h "$www"
                fi
                echo "python stand-in: only '-m http.server [PORT]' is supported" >&2
                exit 2

                """)
            .Symlink("usr/local/bin/python3", "python"))
        .WithEnv("LANG", "C.UTF-8")
        .WithCmd("python3");

    public static TestImageBuilder DemoAppImage() => new TestImageBuilder().WithBusybox()
        .WithLayer(l => l.Directory("www/").File("www/index.html", DemoAppBody + "\n"))
        .WithCmd("/bin/httpd", "-f", "-p", "80", "-h", "/www")
        .WithExposedPort("80");

    /// <summary>Builds every stand-in under <paramref name="workDirectory"/> and pushes it to <paramref name="registry"/>.</summary>
    public static async Task PushAllAsync(TestRegistry registry, string workDirectory, CancellationToken cancellationToken = default)
    {
        foreach (var (name, builder) in All)
        {
            var layout = builder.Build(Path.Combine(workDirectory, name.Replace('/', '_').Replace(':', '_')));
            await registry.PushAsync(layout, name, cancellationToken);
        }
    }
}
