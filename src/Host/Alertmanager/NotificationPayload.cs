using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc;
using Sre.Contracts;
using Sre.Domain.Alertmanager;
using Sre.Domain.Time;
using Sre.Host.Operations;
using Wolverine.Http;

namespace Sre.Host.Alertmanager;

/// <summary>
/// Alertmanager's webhook payload (version "4", <see cref="AlertmanagerNotification"/>) as both doors take it: the
/// webhook reads it from the request as it arrives, the bus consumer gets it from MassTransit, and one
/// <see cref="Validate"/> names every field that is missing or wrong (<c>alerts[3].startsAt</c>). Unknown fields, such
/// as those newer Alertmanagers add, are ignored.
/// </summary>
public static partial class NotificationPayload
{
    /// <summary>The payload, or the problem naming the field that could not be read (the first one).</summary>
    public static async Task<(AlertmanagerNotification?, ProblemDetails)> ReadAsync(Stream body, CancellationToken ct)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(body, Json.Default.AlertmanagerNotification, ct) is { } payload
                ? (payload, WolverineContinue.NoProblems)
                : (null, Problems.InvalidDetails(Invalid("body", "must be a JSON object.")));
        }
        catch (JsonException e)
        {
            return (null, Problems.InvalidDetails(Unreadable(e)));
        }
    }

    /// <summary>What is missing or wrong, by field, in the order of the payload; no problems when nothing is.</summary>
    public static ProblemDetails Validate(AlertmanagerNotification n)
    {
        var errors = new Dictionary<string, string[]>();
        if (Text(n.Version, "version", errors) is { } version && version != "4") errors["version"] = [$"must be \"4\", not \"{version}\"."];
        Text(n.GroupKey, "groupKey", errors);
        Status(n.Status, "status", errors);
        if (n.Receiver is null) errors["receiver"] = ["is required."];
        if (n.TruncatedAlerts < 0) errors["truncatedAlerts"] = ["must be a whole number, zero or more."];
        Strings(n.GroupLabels, "groupLabels", errors);
        Strings(n.CommonLabels, "commonLabels", errors);
        Strings(n.CommonAnnotations, "commonAnnotations", errors);
        if (n.Alerts is null) errors["alerts"] = ["is required and must be an array."];
        else if (n.Alerts.Count == 0) errors["alerts"] = ["must hold at least one alert."];
        var alerts = n.Alerts ?? [];
        for (var i = 0; i < alerts.Count; i++)
        {
            var at = $"alerts[{i}]";
            if (alerts[i] is not { } a)
            {
                errors[at] = ["must be an object."];
                continue;
            }
            Status(a.Status, $"{at}.status", errors);
            if (a.Labels is null) errors[$"{at}.labels"] = ["is required."];
            Strings(a.Labels, $"{at}.labels", errors);
            Strings(a.Annotations, $"{at}.annotations", errors);
            // Go's zero time is how Alertmanager leaves a time out.
            if (a.StartsAt is not { Year: > 1 }) errors[$"{at}.startsAt"] = ["is required."];
            Text(a.Fingerprint, $"{at}.fingerprint", errors);
        }
        return errors.Count == 0 ? WolverineContinue.NoProblems : Problems.InvalidDetails(errors);
    }

    /// <summary>The notification the ingestion decides on, from a payload that <see cref="Validate"/> passed.</summary>
    public static AlertNotification ToNotification(AlertmanagerNotification n, Guid notificationId) =>
        new(notificationId, n.Receiver!, n.Status!, n.GroupKey!, n.TruncatedAlerts ?? 0, n.GroupLabels ?? new(), n.CommonLabels ?? new(),
            n.CommonAnnotations ?? new(), n.ExternalURL,
            n.Alerts!.Select(a => new ReceivedAlert(a!.Status!, a.Labels!, a.Annotations ?? new(), a.StartsAt!.Value,
                // Go's zero time marks a firing alert's unknown end.
                a.EndsAt is { Year: > 1 } end ? end : null, a.GeneratorURL, a.Fingerprint!)).ToList());

    // Source-generated metadata: the webhook is the hot path. Names as Alertmanager writes them, case and all.
    [JsonSerializable(typeof(AlertmanagerNotification))]
    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, Converters = [typeof(UtcInstantJsonConverter)])]
    private sealed partial class Json : JsonSerializerContext;

    private static Dictionary<string, string[]> Invalid(string field, string message) => new() { [field] = [message] };

    private static Dictionary<string, string[]> Unreadable(JsonException e)
    {
        // The reader's own exception inside: the body is not JSON at all.
        if (e.InnerException is JsonException notJson) return Invalid("body", $"is not JSON: {notJson.Message}");
        if (e.Path is null or "$") return Invalid("body", "must be a JSON object.");
        if (e is UtcInstantJsonConverter.NotATimestamp time) return Invalid(e.Path[2..], time.Reason);
        var expected = TypeAt(e.Path);
        return Invalid(e.Path[2..], expected?.Kind switch
        {
            null => "has the wrong type.",
            JsonTypeInfoKind.Dictionary => "must be an object of strings.",
            JsonTypeInfoKind.Enumerable => "must be an array.",
            JsonTypeInfoKind.Object => "must be an object.",
            _ when expected.Type == typeof(int?) => "must be a whole number, zero or more.",
            _ => "must be a string.",
        });
    }

    /// <summary>
    /// The type System.Text.Json was reading at a path of the payload (<c>$.alerts[1].labels.team</c>), found in the
    /// payload's metadata: a property name under an object, an index under an array, and under a map a label, the end.
    /// </summary>
    private static JsonTypeInfo? TypeAt(string path)
    {
        JsonTypeInfo? info = Json.Default.AlertmanagerNotification;
        var rest = path.AsSpan(1);
        while (info is not null && !rest.IsEmpty)
        {
            if (info.Kind == JsonTypeInfoKind.Dictionary) return ElementOf(info);
            var end = rest[1..].IndexOfAny('.', '[') is var next and >= 0 ? next + 1 : rest.Length;
            var name = rest[1..end].ToString();
            info = info.Kind == JsonTypeInfoKind.Object
                ? info.Properties.FirstOrDefault(p => p.Name == name) is { } property ? Json.Default.GetTypeInfo(property.PropertyType) : null
                : ElementOf(info);
            rest = rest[end..];
        }
        return info;
    }

    private static JsonTypeInfo? ElementOf(JsonTypeInfo info) => info.ElementType is { } type ? Json.Default.GetTypeInfo(type) : null;

    private static string? Text(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value)) errors[field] = [value is null ? "is required." : "must not be empty."];
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static void Status(string? status, string field, Dictionary<string, string[]> errors)
    {
        if (Text(status, field, errors) is { } text and not ("firing" or "resolved"))
            errors[field] = [$"must be \"firing\" or \"resolved\", not \"{text}\"."];
    }

    // A JSON null arrives as null whatever the declared type says.
    private static void Strings(Dictionary<string, string>? map, string field, Dictionary<string, string[]> errors)
    {
        if (map is null) return;
        foreach (var (name, value) in map)
            if (value is null) errors[$"{field}.{name}"] = ["must be a string."];
    }
}
