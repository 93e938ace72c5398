using System.Diagnostics;
using Harrier.Networking;
using Harrier.Networking.Cni;

namespace Harrier.Bench;

/// <summary>
/// <c>cni</c>: the CNI bridge + host-local + portmap chain (Debian's plugins) attaching and detaching task namespaces,
/// all inside a namespace the benchmark makes (nothing touches the machine's own network). Prints p50/p99 of the
/// namespace + ADD (what a task's network setup costs) and of the ADD and DEL alone. Needs root and /usr/lib/cni.
/// </summary>
internal static class CniBenchmark
{
    public static async Task<int> RunAsync(BenchArgs options)
    {
        var cycles = options.Int("cycles", 20);
        var id = Guid.NewGuid().ToString("N")[..6];
        var hostNs = "hbench-cni-" + id;
        var state = Path.Combine(Path.GetTempPath(), "harrier-bench-cni-" + id);
        Directory.CreateDirectory(state);
        await NetworkNamespaces.CreateAsync(hostNs, CancellationToken.None);
        try
        {
            var network = CniConfigParser.Parse($$$"""
                {"cniVersion":"1.0.0","name":"benchnet","plugins":[
                  {"type":"bridge","bridge":"cnibench0","isGateway":true,"ipMasq":true,
                   "ipam":{"type":"host-local","ranges":[[{"subnet":"10.79.0.0/16"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"{{{state}}}"}},
                  {"type":"portmap","capabilities":{"portMappings":true},"snat":true}]}
                """, "bench", isList: true, ["/usr/lib/cni"]);
            var runtime = new CniRuntime(new CniPluginInvoker(new HostNamespace(hostNs), ["/usr/lib/cni"]));
            var setup = new List<double>();
            var add = new List<double>();
            var del = new List<double>();
            Console.WriteLine($"cni: {cycles} attach/detach cycles of bridge + host-local + portmap (one port), {Stats.LoadAverage()}");
            for (var i = 0; i < cycles; i++)
            {
                var ns = $"hbench-cni-{id}-{i}";
                var args = new CniRuntimeArgs($"bench-{id}-{i}", NetworkNamespaces.PathOf(ns), "eth0", [new CniPortMapping(31000 + i, 8080, "tcp")]);
                try
                {
                    var total = Stopwatch.StartNew();
                    await NetworkNamespaces.CreateAsync(ns, CancellationToken.None);
                    var chain = Stopwatch.StartNew();
                    var result = await runtime.AddAsync(network, args, CancellationToken.None);
                    add.Add(chain.Elapsed.TotalMilliseconds);
                    setup.Add(total.Elapsed.TotalMilliseconds);
                    var teardown = Stopwatch.StartNew();
                    await runtime.DelAsync(network, args, result.Json, CancellationToken.None);
                    del.Add(teardown.Elapsed.TotalMilliseconds);
                }
                finally
                {
                    await NetworkNamespaces.DeleteAsync(ns);
                }
            }
            Console.WriteLine($"  netns + ADD (setup per task): {Stats.Summary(setup)}");
            Console.WriteLine($"  ADD alone:                    {Stats.Summary(add)}");
            Console.WriteLine($"  DEL:                          {Stats.Summary(del)}");
            return 0;
        }
        finally
        {
            await NetworkNamespaces.DeleteAsync(hostNs);
            Directory.Delete(state, recursive: true);
        }
    }
}
