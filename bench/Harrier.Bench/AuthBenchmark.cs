using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Harrier.Api.Security;

namespace Harrier.Bench;

/// <summary>
/// What authentication costs: two <c>harrier dev --driver fake</c> servers with the same A apps, one open and one with
/// an ACL file, and R rounds of <c>GET /v2/apps</c>, each round one request per mode in turn (open; a cluster-admin
/// bearer token; an admin's Basic password, PBKDF2-verified once then cached; a principal allowed <c>/bench/g0/*</c>,
/// whose answer is filtered to a tenth of the apps).
/// </summary>
internal static class AuthBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var apps = args.Int("apps", 1000);
        var requests = args.Int("requests", 300);
        var acl = Path.Combine(Path.GetTempPath(), $"harrier-bench-acl-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(acl, $$"""
            {
              "principals": {
                "ops":  { "token": "{{TokenHash.Of("hrt_bench_admin")}}", "grants": { "/*": "admin" } },
                "root": { "password": "{{PasswordHash.Create("bench-password")}}", "grants": { "/*": "admin" } },
                "team": { "token": "{{TokenHash.Of("hrt_bench_team")}}", "grants": { "/bench/g0/*": "read" } }
              }
            }
            """);
        try
        {
            var fake = new[] { "--driver", "fake", "--cpus", "100000", "--mem", "100000000", "--ports", "1025-65000" };
            await using var open = await DevServer.StartAsync(fake);
            await using var secured = await DevServer.StartAsync([.. fake, "--acl-file", acl]);
            secured.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "hrt_bench_admin");
            foreach (var server in new[] { open, secured })
            {
                for (var a = 0; a < apps; a++)
                {
                    var body = new JsonObject { ["id"] = $"/bench/g{a % 10}/app{a}", ["cmd"] = "sleep 3600", ["cpus"] = 0.01, ["mem"] = 8, ["instances"] = 1 };
                    while (true)
                    {
                        var response = await server.Http.PostAsJsonAsync("/v2/apps", body);
                        if (response.StatusCode == System.Net.HttpStatusCode.Forbidden)
                        {
                            await Task.Delay(20); // the running-deployments limit
                            continue;
                        }
                        response.EnsureSuccessStatusCode();
                        break;
                    }
                }
            }
            Console.WriteLine($"setup: {apps} apps x 1 instance on each server; {Stats.LoadAverage()}");
            var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("root:bench-password")));
            var modes = new (string Name, HttpClient Client, AuthenticationHeaderValue? Auth)[]
            {
                ("auth off", open.Http, null),
                ("bearer token, admin", secured.Http, new("Bearer", "hrt_bench_admin")),
                ("basic password, admin", secured.Http, basic),
                ("bearer token, /bench/g0/* only", secured.Http, new("Bearer", "hrt_bench_team")),
            };
            var times = modes.Select(_ => new List<double>()).ToArray();
            var sizes = new long[modes.Length];
            for (var r = -10; r < requests; r++)
            {
                for (var m = 0; m < modes.Length; m++)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/apps");
                    request.Headers.Authorization = modes[m].Auth;
                    var sw = Stopwatch.StartNew();
                    using var response = await modes[m].Client.SendAsync(request);
                    var bytes = await response.Content.ReadAsByteArrayAsync();
                    var elapsed = sw.Elapsed.TotalMilliseconds;
                    response.EnsureSuccessStatusCode();
                    if (r >= 0)
                    {
                        times[m].Add(elapsed);
                        sizes[m] = bytes.Length;
                    }
                }
            }
            var baseline = Stats.Percentile(times[0], 50);
            for (var m = 0; m < modes.Length; m++)
            {
                Console.WriteLine($"GET /v2/apps, {modes[m].Name}: {Stats.Summary(times[m])}, {sizes[m] / 1024} KiB, p50 {Stats.Percentile(times[m], 50) / baseline:0.00}x auth off");
            }
            // The first Basic request pays PBKDF2 (100,000 iterations); later ones hit the cache.
            var fresh = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/info");
                request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"root:wrong-{i}")));
                var sw = Stopwatch.StartNew();
                using var response = await secured.Http.SendAsync(request);
                fresh.Add(sw.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"GET /v2/info with a new (wrong) password, uncached PBKDF2: {Stats.Summary(fresh)}");
            return 0;
        }
        finally
        {
            File.Delete(acl);
        }
    }
}
