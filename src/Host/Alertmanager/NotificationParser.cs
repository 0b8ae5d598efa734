using System.Text.Json;
using Sre.Domain.Alertmanager;
using Sre.Domain.Time;

namespace Sre.Host.Alertmanager;

/// <summary>
/// Reads Alertmanager's webhook payload (version "4") and names every field that is missing or malformed.
/// Unknown fields, such as those newer Alertmanagers add, are ignored.
/// </summary>
public static partial class NotificationParser
{
    public sealed record Result(AlertNotification? Notification, IReadOnlyDictionary<string, string[]> Errors)
    {
        public bool IsValid => Notification is not null;
    }


    public static Result Parse(ReadOnlySpan<byte> body, Guid notificationId)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException e)
        {
            return Fail("body", $"is not JSON: {e.Message}");
        }

        using (doc)
        {
            var errors = new Dictionary<string, string[]>();
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Fail("body", "must be a JSON object.");

            var version = String(root, "version", errors, required: true);
            if (version is not null && version != "4") errors["version"] = [$"must be \"4\", not \"{version}\"."];
            var groupKey = String(root, "groupKey", errors, required: true);
            var status = Status(root, "status", "status", errors);
            var receiver = String(root, "receiver", errors, required: true);
            var externalUrl = String(root, "externalURL", errors, required: false);
            var truncated = TruncatedAlerts(root, errors);
            var groupLabels = Map(root, "groupLabels", "groupLabels", errors);
            var commonLabels = Map(root, "commonLabels", "commonLabels", errors);
            var commonAnnotations = Map(root, "commonAnnotations", "commonAnnotations", errors);
            var alerts = Alerts(root, errors);

            if (errors.Count > 0) return new Result(null, errors);
            return new Result(new AlertNotification(notificationId, receiver!, status!, groupKey!, truncated, groupLabels,
                commonLabels, commonAnnotations, externalUrl, alerts), errors);
        }
    }

    private static Result Fail(string field, string message) => new(null, new Dictionary<string, string[]> { [field] = [message] });

    private static List<ReceivedAlert> Alerts(JsonElement root, Dictionary<string, string[]> errors)
    {
        var alerts = new List<ReceivedAlert>();
        if (!root.TryGetProperty("alerts", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            errors["alerts"] = ["is required and must be an array."];
            return alerts;
        }
        if (array.GetArrayLength() == 0) errors["alerts"] = ["must hold at least one alert."];

        var i = 0;
        foreach (var a in array.EnumerateArray())
        {
            var at = $"alerts[{i++}]";
            if (a.ValueKind != JsonValueKind.Object)
            {
                errors[at] = ["must be an object."];
                continue;
            }
            var status = Status(a, "status", $"{at}.status", errors);
            var labels = Map(a, "labels", $"{at}.labels", errors, required: true);
            var annotations = Map(a, "annotations", $"{at}.annotations", errors);
            var startsAt = Time(a, "startsAt", $"{at}.startsAt", errors, required: true);
            var endsAt = Time(a, "endsAt", $"{at}.endsAt", errors, required: false);
            var generatorUrl = String(a, "generatorURL", errors, required: false, path: $"{at}.generatorURL");
            var fingerprint = String(a, "fingerprint", errors, required: true, path: $"{at}.fingerprint");
            if (status is null || startsAt is null || fingerprint is null) continue;
            alerts.Add(new ReceivedAlert(status, labels, annotations, startsAt.Value, endsAt, generatorUrl, fingerprint));
        }
        return alerts;
    }

    private static string? String(JsonElement obj, string name, Dictionary<string, string[]> errors, bool required, string? path = null)
    {
        path ??= name;
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) errors[path] = ["is required."];
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors[path] = ["must be a string."];
            return null;
        }
        var text = value.GetString()!;
        if (required && text.Length == 0 && name != "receiver")
        {
            errors[path] = ["must not be empty."];
            return null;
        }
        return text;
    }

    private static string? Status(JsonElement obj, string name, string path, Dictionary<string, string[]> errors)
    {
        var status = String(obj, name, errors, required: true, path: path);
        if (status is null or "firing" or "resolved") return status;
        errors[path] = [$"must be \"firing\" or \"resolved\", not \"{status}\"."];
        return null;
    }

    private static int TruncatedAlerts(JsonElement root, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty("truncatedAlerts", out var value) || value.ValueKind == JsonValueKind.Null) return 0;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= 0) return count;
        errors["truncatedAlerts"] = ["must be a whole number, zero or more."];
        return 0;
    }

    private static Dictionary<string, string> Map(
        JsonElement obj, string name, string path, Dictionary<string, string[]> errors, bool required = false)
    {
        var map = new Dictionary<string, string>();
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) errors[path] = ["is required."];
            return map;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors[path] = ["must be an object of strings."];
            return map;
        }
        foreach (var p in value.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String)
            {
                errors[$"{path}.{p.Name}"] = ["must be a string."];
                continue;
            }
            map[p.Name] = p.Value.GetString()!;
        }
        return map;
    }

    private static DateTimeOffset? Time(JsonElement obj, string name, string path, Dictionary<string, string[]> errors, bool required)
    {
        var text = String(obj, name, errors, required, path);
        if (text is null) return null;
        if (!Rfc3339.TryParse(text, out var time))
        {
            errors[path] = [Rfc3339.Invalid(text)];
            return null;
        }
        // Go's zero time marks a firing alert's unknown end.
        return time.Year <= 1 ? null : time;
    }
}
