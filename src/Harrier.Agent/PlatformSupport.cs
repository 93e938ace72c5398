using System.Runtime.Versioning;

// The agent drives Linux processes, cgroups and file modes; it runs nowhere else.
[assembly: SupportedOSPlatform("linux")]
