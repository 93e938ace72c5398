using System.Collections;
using System.Runtime.InteropServices;

namespace Harrier.Linux;

/// <summary>Replacing the running program with itself (execve): same pid, same arguments, a changed environment.</summary>
public static unsafe class ProcessImage
{
    /// <summary>
    /// Re-executes this process (<c>/proc/self/exe</c> with the arguments of <c>/proc/self/cmdline</c>) with
    /// <paramref name="set"/> added to its environment. Returns only on failure, with the reason; open descriptors
    /// without close-on-exec (stdin, stdout, stderr) carry over, as does the pid.
    /// </summary>
    public static string Reexecute(IReadOnlyDictionary<string, string> set)
    {
        ArgumentNullException.ThrowIfNull(set);
        string path;
        string[] args;
        try
        {
            path = new FileInfo("/proc/self/exe").LinkTarget ?? throw new IOException("/proc/self/exe is not a link");
            args = File.ReadAllText("/proc/self/cmdline").TrimEnd('\0').Split('\0');
        }
        catch (IOException e)
        {
            return e.Message;
        }
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            env[(string)e.Key] = (string?)e.Value ?? "";
        }
        foreach (var (key, value) in set)
        {
            env[key] = value;
        }
        var owned = new List<nint>();
        try
        {
            var argv = (byte**)NativeMemory.Alloc((nuint)(args.Length + 1), (nuint)sizeof(nint));
            owned.Add((nint)argv);
            for (var i = 0; i < args.Length; i++)
            {
                argv[i] = ProcessControl.Utf8(args[i], owned);
            }
            argv[args.Length] = null;
            var envp = (byte**)NativeMemory.Alloc((nuint)(env.Count + 1), (nuint)sizeof(nint));
            owned.Add((nint)envp);
            var n = 0;
            foreach (var (key, value) in env)
            {
                envp[n++] = ProcessControl.Utf8(key + "=" + value, owned);
            }
            envp[n] = null;
            Libc.execve(ProcessControl.Utf8(path, owned), argv, envp);
            return $"execve {path} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
        }
        finally
        {
            foreach (var p in owned)
            {
                NativeMemory.Free((void*)p);
            }
        }
    }
}
