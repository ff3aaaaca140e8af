using System.Collections;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Slipway.Bench.LogFollow;

/// <summary>
/// <c>followers</c>: N plain SSE clients of one deployment's log in this process, each checking that it gets every
/// entry exactly once and then the terminal status. Prints <c>CONNECTED</c> once all have their first event, and a
/// one-line summary at the end.
/// </summary>
internal static class Followers
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var count = args.Int("count", 49);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", args.Get("token"));
        var url = $"{args.Get("url")}/api/v1/deployments/{args.Get("deployment")}/logs";
        var connected = new CountdownEvent(count);
        var followers = Enumerable.Range(0, count).Select(_ => FollowAsync(http, url, connected)).ToArray();
        _ = Task.Run(() =>
        {
            connected.Wait();
            Console.WriteLine("CONNECTED");
        });
        var results = await Task.WhenAll(followers);
        var complete = results.Count(r => r.Status == "finished" && r.Missing == 0 && r.Duplicates == 0);
        var delays = results.SelectMany(r => r.Delays).Order().ToList();
        Console.WriteLine(FormattableString.Invariant(
            $"SUMMARY followers={count} complete={complete} entries={results.Min(r => r.Entries)}..{results.Max(r => r.Entries)} missing={results.Sum(r => r.Missing)} duplicates={results.Sum(r => r.Duplicates)} delay-p50={Stats.Percentile(delays, 50):0.0}ms delay-p99={Stats.Percentile(delays, 99):0.0}ms"));
        return complete == count ? 0 : 1;
    }

    private static async Task<(int Entries, int Missing, int Duplicates, string? Status, List<double> Delays)> FollowAsync(HttpClient http, string url, CountdownEvent connected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var seen = new BitArray(1 << 20);
        int entries = 0, duplicates = 0, highest = 0;
        string? type = null, status = null;
        var first = true;
        var delays = new List<double>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var data = JsonDocument.Parse(line[6..]);
                if (type == "entry")
                {
                    var order = data.RootElement.GetProperty("order").GetInt32();
                    if (data.RootElement.GetProperty("output").GetString()!.Contains("bench line ", StringComparison.Ordinal))
                    {
                        // Received (not printed) minus stored: the server's share of the delay.
                        var stored = DateTime.Parse(data.RootElement.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
                        delays.Add((DateTime.UtcNow - stored).TotalMilliseconds);
                    }

                    duplicates += seen[order] ? 1 : 0;
                    seen[order] = true;
                    highest = Math.Max(highest, order);
                    entries++;
                }
                else
                {
                    status = data.RootElement.GetProperty("status").GetString();
                }

                if (first)
                {
                    first = false;
                    connected.Signal();
                }
            }
        }

        var missing = Enumerable.Range(1, highest).Count(o => !seen[o]);
        return (entries, missing, duplicates, status, delays);
    }
}
