using System.Runtime.InteropServices;
using Harrier.Networking;

namespace Harrier.Networking.Tests.Vips;

/// <summary>
/// Makes sockets inside a test's network namespace from this process: a socket belongs to the namespace of the thread
/// that created it, so a short-lived thread joins the namespace (setns), creates the socket and ends. No servers or
/// clients as child processes to clean up.
/// </summary>
internal static partial class NamespaceSockets
{
    private const int CloneNewNet = 0x40000000;

    public static T In<T>(string ns, Func<T> create)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(NetworkNamespaces.PathOf(ns));
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new IOException($"setns({ns}) failed: errno {Marshal.GetLastPInvokeError()}");
                }
                result = create();
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        if (error is not null)
        {
            throw error;
        }
        return result;
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}
