using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Sre.Host.Tests.Support;

/// <summary>
/// TestServer enforces no request body limit: it offers no <see cref="IHttpMaxRequestBodySizeFeature"/>. The shared host
/// stands in for Kestrel with the limit the service gives Kestrel (<c>Auth:MaxBodyBytes</c>) and throws what Kestrel
/// throws: at the first read when the declared length is over it, as soon as a streamed body goes over it.
/// <c>KestrelBodyLimitTests</c> checks the same answers through the real Kestrel.
/// </summary>
public sealed class ServerBodyLimit(IOptions<KestrelServerOptions> kestrel) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((http, rest) =>
        {
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is null)
            {
                var body = new LimitedBody(http.Request.Body, http.Request.ContentLength, kestrel.Value.Limits.MaxRequestBodySize);
                http.Features.Set<IHttpMaxRequestBodySizeFeature>(body);
                http.Request.Body = body;
            }
            return rest(http);
        });
        next(app);
    };

    private sealed class LimitedBody(Stream inner, long? declared, long? max) : Stream, IHttpMaxRequestBodySizeFeature
    {
        private long _read;
        private bool _started;

        public bool IsReadOnly => _started;

        public long? MaxRequestBodySize
        {
            get => max;
            set => max = _started ? throw new InvalidOperationException("The body is being read.") : value;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            Check(0);
            var n = await inner.ReadAsync(buffer, ct);
            Check(n);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            Check(0);
            var n = inner.Read(buffer, offset, count);
            Check(n);
            return n;
        }

        private void Check(int read)
        {
            _started = true;
            _read += read;
            if (declared > max || _read > max)
                throw new Microsoft.AspNetCore.Http.BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
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
