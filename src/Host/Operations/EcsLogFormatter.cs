using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Sre.Host.Operations;

/// <summary>
/// One JSON object a line, with the Elastic Common Schema names a shipper such as Filebeat maps as they are:
/// <c>@timestamp</c>, <c>log.level</c>, <c>log.logger</c>, <c>message</c>, <c>trace.id</c>, <c>span.id</c>,
/// <c>error.*</c>, and the message's named values under <c>labels</c>.
/// </summary>
public sealed class EcsLogFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "ecs";

    public override void Write<TState>(in LogEntry<TState> entry, IExternalScopeProvider? scopes, TextWriter output)
    {
        var message = entry.Formatter(entry.State, entry.Exception);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("@timestamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"));
            json.WriteString("log.level", entry.LogLevel.ToString().ToLowerInvariant());
            json.WriteString("log.logger", entry.Category);
            json.WriteString("message", message);
            if (Activity.Current is { } activity)
            {
                json.WriteString("trace.id", activity.TraceId.ToString());
                json.WriteString("span.id", activity.SpanId.ToString());
            }
            if (entry.Exception is { } e)
            {
                json.WriteString("error.type", e.GetType().FullName);
                json.WriteString("error.message", e.Message);
                json.WriteString("error.stack_trace", e.ToString());
            }
            if (entry.State is IEnumerable<KeyValuePair<string, object?>> values)
            {
                json.WriteStartObject("labels");
                foreach (var (key, value) in values.Where(v => v.Key != "{OriginalFormat}"))
                    json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
