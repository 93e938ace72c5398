// Harrier runs on Linux only (cgroups, namespaces, posix_spawn).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
