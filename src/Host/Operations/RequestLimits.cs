using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Sre.Host.Operations;

/// <summary>
/// Request bodies over Auth:MaxBodyBytes are refused by Kestrel (its <c>MaxRequestBodySize</c>) and answered 413, and
/// each key gets its requests per minute from ASP.NET Core's rate limiter (429 with Retry-After), except where an
/// endpoint says <c>[DisableRateLimiting]</c>: Alertmanager's webhook, since Alertmanager drops a notification
/// answered 429 for good.
/// </summary>
public static class RequestLimits
{
    public static void AddSreRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<AuthOptions>>((k, auth) => k.Limits.MaxRequestBodySize = auth.Value.MaxBodyBytes);
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AuthOptions>>((o, options) =>
        {
            var auth = options.Value;
            var perKey = auth.Keys.GroupBy(k => k.Name).ToDictionary(g => g.Key, g => g.First().RequestsPerMinute ?? auth.RequestsPerMinute);
            // Partitioned by the authenticated key's name; what authorization let through without a key is not limited.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.User.Identity is { IsAuthenticated: true, Name: { } key }
                    ? RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = perKey.GetValueOrDefault(k, auth.RequestsPerMinute),
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
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
/// What the server's body limit (<see cref="IHttpMaxRequestBodySizeFeature"/>, Kestrel's <c>MaxRequestBodySize</c>)
/// refuses is answered as a problem-details 413, whoever was reading. Kestrel only refuses a body as it is read, and
/// Wolverine's JSON reader answers any failed read with a bare 400: so a body that declares a length over the limit is
/// refused before anything reads it, and one that streams past it (chunked) is answered 413 once its reader gave up.
/// Nothing is buffered here but a body of a few bytes or of unknown length (chunked, which Alertmanager and the
/// collectors do not send), to tell a bare JSON <c>null</c> (400: every endpoint expects an object); the webhook and
/// the collectors read their bodies once, as they come.
/// </summary>
public sealed class RequestBodies(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var limit = http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (http.Request.ContentLength > limit)
        {
            // The unread body stays on the connection, which Kestrel then closes: the client must not reuse it.
            http.Response.Headers.Connection = "close";
            await Results.Problem(TooLarge(http)).ExecuteAsync(http);
            return;
        }
        if ((HttpMethods.IsPost(http.Request.Method) || HttpMethods.IsPut(http.Request.Method))
            && http.Request.ContentLength is null or (>= 4 and < NullCheckBelow) && await IsJsonNull(http.Request))
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The request is invalid.",
                detail: "The body must be a JSON object, not null.").ExecuteAsync(http);
            return;
        }
        var body = new RefusalWatch(http.Request.Body);
        http.Request.Body = body;
        await next(http);
        if (body.Refused && !http.Response.HasStarted)
        {
            http.Response.Clear();
            await Results.Problem(TooLarge(http)).ExecuteAsync(http);
        }
    }

    /// <summary>The problem of a body over the limit, for this middleware and for <see cref="FaultHandler"/>.</summary>
    public static ProblemDetails TooLarge(HttpContext http) => new()
    {
        Status = StatusCodes.Status413PayloadTooLarge,
        Title = "The request body is too large.",
        Detail = http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } max
            ? $"At most {max} bytes are accepted (Auth:MaxBodyBytes)."
            : "The body is over the limit (Auth:MaxBodyBytes).",
    };

    private const long NullCheckBelow = 64;

    private static async Task<bool> IsJsonNull(HttpRequest request)
    {
        var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        buffer.Position = 0;
        request.Body = buffer;
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).Trim() == "null";
    }

    /// <summary>Passes the body through untouched, noting whether the server refused it as too large.</summary>
    private sealed class RefusalWatch(Stream inner) : Stream
    {
        public bool Refused { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            try { return await inner.ReadAsync(buffer, ct); }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge) { Refused = true; throw; }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            try { return inner.Read(buffer, offset, count); }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge) { Refused = true; throw; }
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
