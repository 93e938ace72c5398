using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Harrier.Api.Metrics;

/// <summary>
/// Collects every <c>Harrier.*</c> meter's instruments, and the runtime's own <c>System.Runtime</c> meter (GC
/// collections and pause time, CPU time, heap and thread-pool figures as <c>dotnet_*</c>), with a
/// <see cref="MeterListener"/> and renders them as Prometheus text exposition (counters, gauges, and histograms as
/// <c>_sum</c>/<c>_count</c>/buckets).
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly double[] Buckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), Series> _series = new();
    private readonly object _scrapeLock = new();

    public PrometheusExporter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith("Harrier", StringComparison.Ordinal) || instrument.Meter.Name == "System.Runtime")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public string Render()
    {
        lock (_scrapeLock)
        {
            foreach (var key in _series.Keys.Where(k => k.Instrument.IsObservable))
            {
                _series.TryRemove(key, out _);
            }
            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var group in _series.GroupBy(s => s.Key.Instrument).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
            {
                var instrument = group.Key;
                var name = Sanitize(instrument.Name);
                var type = instrument switch
                {
                    Histogram<double> or Histogram<long> or Histogram<int> => "histogram",
                    Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => "counter",
                    _ => "gauge",
                };
                if (!string.IsNullOrEmpty(instrument.Description))
                {
                    text.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description).Append('\n');
                }
                text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
                foreach (var ((_, labels), series) in group.OrderBy(s => s.Key.Labels, StringComparer.Ordinal))
                {
                    if (type == "histogram")
                    {
                        for (var b = 0; b < Buckets.Length; b++)
                        {
                            text.Append(name).Append("_bucket{").Append(Join(labels, $"le=\"{Format(Buckets[b])}\"")).Append("} ").Append(series.BucketCounts[b]).Append('\n');
                        }
                        text.Append(name).Append("_bucket{").Append(Join(labels, "le=\"+Inf\"")).Append("} ").Append(series.Count).Append('\n');
                        text.Append(name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Format(series.Sum)).Append('\n');
                        text.Append(name).Append("_count").Append(Braces(labels)).Append(' ').Append(series.Count).Append('\n');
                    }
                    else
                    {
                        text.Append(name).Append(Braces(labels)).Append(' ').Append(Format(series.Value)).Append('\n');
                    }
                }
            }
            return text.ToString();
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        var series = _series.GetOrAdd((instrument, labels), _ => new Series());
        lock (series)
        {
            switch (instrument)
            {
                case Histogram<double> or Histogram<long> or Histogram<int>:
                    series.Count++;
                    series.Sum += value;
                    for (var b = 0; b < Buckets.Length; b++)
                    {
                        if (value <= Buckets[b])
                        {
                            series.BucketCounts[b]++;
                        }
                    }
                    break;
                case Counter<long> or Counter<int> or Counter<double> or UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double>:
                    series.Value += value;
                    break;
                default:
                    series.Value = value;
                    break;
            }
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }
        var parts = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            var v = Convert.ToString(tag.Value, CultureInfo.InvariantCulture)?.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
            parts.Add($"{Sanitize(tag.Key)}=\"{v}\"");
        }
        parts.Sort(StringComparer.Ordinal);
        return string.Join(',', parts);
    }

    private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

    private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

    private static string Sanitize(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_')]);

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public void Dispose() => _listener.Dispose();

    private sealed class Series
    {
        public double Value { get; set; }
        public double Sum { get; set; }
        public long Count { get; set; }
        public long[] BucketCounts { get; } = new long[Buckets.Length];
    }
}
