using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Sre.Host.Operations;

/// <summary>The OpenAPI document of every endpoint at /openapi/v1.json, and a reference UI (Scalar) at /docs.</summary>
public static class ApiDocs
{
    public static void AddSreApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(o => DescribeQueryValues(o).AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Sre: incidents, error budgets, toil and backups",
                Version = "v1",
                Description = "Every /api request presents an API key (Authorization: Bearer <key>) with the endpoint's scope: " +
                              "read for queries; write for incident commands, toil, automations and release-gate bypasses; ingest for the Alertmanager " +
                              "webhook, SLI data, deployments and backup reports; admin for definitions, policies and overrides.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "An API key configured under Auth:Keys.",
            };
            return Task.CompletedTask;
        }).AddOperationTransformer((operation, context, _) =>
        {
            var method = context.Description.HttpMethod ?? "GET";
            var path = context.Description.RelativePath ?? "";
            // The scope the endpoint's policy names (Authorize metadata), as the service enforces it.
            var scope = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>()
                .Select(a => Policies.ScopeOf(a.Policy)).FirstOrDefault(s => s is not null);
            operation.Description = $"{operation.Description}\n\nScope: {scope ?? "none"}.".Trim();
            if (ApiExamples.For(method, path) is { } example)
            {
                var mediaType = path.Contains("openslo") ? "application/yaml" : "application/json";
                operation.RequestBody ??= new OpenApiRequestBody();
                if (operation.RequestBody is OpenApiRequestBody body)
                {
                    body.Content ??= new Dictionary<string, OpenApiMediaType>();
                    if (!body.Content.TryGetValue(mediaType, out var content)) body.Content[mediaType] = content = new OpenApiMediaType();
                    content.Example = example;
                }
            }
            return Task.CompletedTask;
        }));

    /// <summary>
    /// The query values Wolverine reads through their own TryParse (<see cref="Instant"/>, <see cref="Duration"/>,
    /// <see cref="QueryEnum{T}"/>) are strings on the wire: described inline as such, not as the records that hold them.
    /// </summary>
    private static OpenApiOptions DescribeQueryValues(OpenApiOptions o)
    {
        o.CreateSchemaReferenceId = type => QueryValue(type.Type) is null ? OpenApiOptions.CreateDefaultSchemaReferenceId(type) : null;
        return o.AddSchemaTransformer((schema, context, _) =>
        {
            if (QueryValue(context.JsonTypeInfo.Type) is not { } type) return Task.CompletedTask;
            schema.Type = JsonSchemaType.String;
            schema.Properties = null;
            if (type == typeof(Instant))
            {
                schema.Format = "date-time";
                schema.Description = "An RFC 3339 instant with an offset (in a query string, a '+' is sent as %2B).";
            }
            else if (type == typeof(Duration))
            {
                schema.Description = "A Prometheus duration: 30d, 12h, 1h30m, 1w.";
            }
            else
            {
                var names = (IReadOnlyList<string>)type.GetProperty(nameof(QueryEnum<>.Names))!.GetValue(null)!;
                schema.Enum = [.. names.Select(n => (JsonNode)JsonValue.Create(n))];
            }
            return Task.CompletedTask;
        });
    }

    private static Type? QueryValue(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        var parsed = t == typeof(Instant) || t == typeof(Duration) || t.IsGenericType && t.GetGenericTypeDefinition() == typeof(QueryEnum<>);
        return parsed ? t : null;
    }

    public static void MapSreApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("Sre API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
    }
}
