using Harrier.Bench;

// Benchmarks that need the real binary (`dotnet build src/Harrier.Host -c Release` first, or set HARRIER_BIN).
//   dotnet run -c Release --project bench/Harrier.Bench -- launch [--instances 100] [--runs 5]
//   dotnet run -c Release --project bench/Harrier.Bench -- api [--apps 1000] [--instances 3] [--requests 200]
//   dotnet run -c Release --project bench/Harrier.Bench -- scheduler [--agents 10000] [--instances 100000] [--apps 100] [--constraint none|unique|group_by]
//   dotnet run -c Release --project bench/Harrier.Bench -- placer [--agents 10000] [--instances 100000] [--apps 100] [--runs 5] [--constraint none|unique|group_by|group_by_3|max_per]
//   dotnet run -c Release --project bench/Harrier.Bench -- containers [--instances 50] [--runs 3] [--rss-instances 100] [--timeout 900] [--network bridge]
//   dotnet run -c Release --project bench/Harrier.Bench -- auth [--apps 1000] [--requests 300]
//   dotnet run -c Release --project bench/Harrier.Bench -- groups [--apps 1000] [--instances 3] [--requests 100]
//   dotnet run -c Release --project bench/Harrier.Bench -- group-events [--apps 1000] [--subscribers 8] [--requests 20]
//   dotnet run -c Release --project bench/Harrier.Bench -- pull [--layers 5] [--mb 100] [--runs 3] [--timeout 900]
//   dotnet run -c Release --project bench/Harrier.Bench -- agent-tls [--registrations 200] [--timeout 300]
//   sudo dotnet run -c Release --project bench/Harrier.Bench -- cni [--cycles 20]   (root; Debian's CNI plugins in /usr/lib/cni)
//   sudo dotnet run -c Release --project bench/Harrier.Bench -- network [--cycles 30] [--seconds 10]   (root; iperf3, nft)
//   dotnet run -c Release --project bench/Harrier.Bench -- dns [--apps 10000] [--seconds 10] [--threads 1] [--arsoft 1]   (dnsperf; --arsoft 1: ARSoft.Tools.Net's server instead)
//   sudo dotnet run -c Release --project bench/Harrier.Bench -- vip [--seconds 5] [--changes 100] [--vips 100]   (root; nft, wrk, iperf3, busybox)
//   sudo dotnet run -c Release --project bench/Harrier.Bench -- discovery [--changes 100] [--instances 5]   (root; in a namespace of its own, see bench/README.md)
//   dotnet run -c Release --project bench/Harrier.Bench -- lb-render [--apps 1000] [--instances 3] [--runs 20]
//   dotnet run -c Release --project bench/Harrier.Bench -- lb [--changes 30] [--load-changes 100] [--seconds 10] [--runs 3] [--parts 1234]   (haproxy, wrk; builds of src/Harrier.Host and testassets/Harrier.TestApp in Release)
//   DOTNET_GCgen0size=0x4000000 dotnet run -c Release --project bench/Harrier.Bench -- orchestrator [--agents 10000] [--instances 100000] [--apps 100] [--runs 3] [--constraint none|unique|group_by]
var command = args.Length > 0 ? args[0] : "help";
var options = BenchArgs.Parse(args.Skip(1).ToArray());
return command switch
{
    "launch" => await LaunchBenchmark.RunAsync(options),
    "api" => await ApiBenchmark.RunAsync(options),
    "rollout" => await RolloutBenchmark.RunAsync(options),
    "health" => await HealthBenchmark.RunAsync(options),
    "scheduler" => await SchedulerBenchmark.RunAsync(options),
    "placer" => await PlacerBenchmark.RunAsync(options),
    "orchestrator" => await OrchestratorBenchmark.RunAsync(options),
    "containers" => await ContainerBenchmark.RunAsync(options),
    "pull" => await PullBenchmark.RunAsync(options),
    "auth" => await AuthBenchmark.RunAsync(options),
    "agent-tls" => await AgentTlsBenchmark.RunAsync(options),
    "groups" => await GroupsBenchmark.RunAsync(options),
    "group-events" => await GroupEventsBenchmark.RunAsync(options),
    "cni" => await CniBenchmark.RunAsync(options),
    "network" => await NetworkBenchmark.RunAsync(options),
    "dns" => await Harrier.Bench.Dns.DnsBenchmark.RunAsync(options),
    "vip" => await Harrier.Bench.Vips.VipBenchmark.RunAsync(options),
    "discovery" => await Harrier.Bench.Dns.StalenessBenchmark.RunAsync(options),
    "lb-render" => Harrier.Bench.Lb.LbRenderBenchmark.Run(options),
    "lb" => await Harrier.Bench.Lb.LbBenchmark.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("usage: Harrier.Bench launch|api|rollout|health|scheduler|placer|orchestrator|containers|pull|auth|agent-tls|groups|group-events|cni|network|dns|vip|discovery|lb-render|lb [--instances N] [--runs N] [--apps N] [--requests N] [--layers N] [--mb N]");
    return 64;
}
