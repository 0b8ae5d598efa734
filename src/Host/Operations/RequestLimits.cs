using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Sre.Host.Operations;

/// <summary>
/// Request bodies over Auth:MaxBodyBytes answer 413 before anything is read into a handler, and each key gets
/// its requests per minute (429 with Retry-After), except on Alertmanager's webhook: Alertmanager drops a
/// notification answered 429 for good.
/// </summary>
public static class RequestLimits
{
    public const string Webhook = "/api/v1/alertmanager/webhook";

    public static void AddSreRequestLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AuthOptions>>((o, options) =>
        {
            var auth = options.Value;
            var perKey = auth.Keys.GroupBy(k => k.Name).ToDictionary(g => g.Key, g => g.First().RequestsPerMinute ?? auth.RequestsPerMinute);
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var key = http.User.Identity?.Name;
                if (key is null || http.Request.Path.StartsWithSegments(Webhook)) return RateLimitPartition.GetNoLimiter("");
                return RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perKey.GetValueOrDefault(k, auth.RequestsPerMinute),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            o.OnRejected = async (context, ct) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString();
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.",
                    detail: $"The key '{context.HttpContext.User.Identity?.Name}' made too many requests; retry after the Retry-After seconds.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
    }
}

/// <summary>
/// Reads at most the limit of a request body (Content-Length or not): more is 413, and the handler never sees it.
/// A JSON body that is the literal <c>null</c> is 400: every endpoint expects an object.
/// </summary>
public sealed class BodyLimit(RequestDelegate next, IOptions<AuthOptions> auth)
{
    private readonly long _maxBytes = auth.Value.MaxBodyBytes;

    public async Task InvokeAsync(HttpContext http)
    {
        if (http.Request.ContentLength > _maxBytes) { await TooLarge(http); return; }
        // Only a body of unknown length (to count it) or a tiny one (to tell a bare null) is read here: the webhook's
        // and the collectors' bodies go to their handlers as they come.
        if ((HttpMethods.IsPost(http.Request.Method) || HttpMethods.IsPut(http.Request.Method))
            && http.Request.ContentLength is null or < NullCheckBelow)
        {
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > _maxBytes) { await TooLarge(http); return; }
            }
            if (IsJsonNull(buffer))
            {
                await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request is invalid.",
                    detail: "The body must be a JSON object, not null.").ExecuteAsync(http);
                return;
            }
            buffer.Position = 0;
            http.Request.Body = buffer;
            http.Request.ContentLength = buffer.Length;
        }
        await next(http);
    }

    private const long NullCheckBelow = 64;

    private static bool IsJsonNull(MemoryStream body) =>
        body.Length is >= 4 and < NullCheckBelow && System.Text.Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length).Trim() == "null";

    private Task TooLarge(HttpContext http) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The request body is too large.",
            detail: $"At most {_maxBytes} bytes are accepted (Auth:MaxBodyBytes).").ExecuteAsync(http);
}
