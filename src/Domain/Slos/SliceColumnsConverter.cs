using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sre.Domain.Slos;

/// <summary>
/// Slices written as columns rather than one object each. Slices of one length on one grid (what a pull makes: a month of
/// minute slices is 43,200 of them) are runs of consecutive slices, two numbers a slice:
/// <c>{"From":"2026-11-01T00:00:00+00:00","Length":60,"Runs":[[0,2],[5,1]],"Good":"598 600 0","Total":"600 600 1"}</c>:
/// the run <c>[i, n]</c> is the n slices starting i, i + 1, ... lengths after <c>From</c>. Any other slices (pushed ones,
/// say) give each its own start and length in seconds after <c>From</c> (the earliest start), exact to the tick (100 ns):
/// <c>{"From":...,"Starts":[60,0],"Lengths":[60,60.5],"Good":"...","Total":"..."}</c>. The counts are one string of
/// decimal integers apart by single spaces: PostgreSQL stores a string in jsonb as it is, where it parses each number of
/// an array into a <c>numeric</c> (an event of 11,000 slices took 7.4 ms to insert with arrays, 3.3 ms with strings).
/// Either form is about a fifth of the size of the objects (bench/RESULTS.md). Reads every form, so events stored as a
/// list of <c>{"Start","End","Good","Total"}</c> objects, or with the counts as arrays, read as they were written.
/// </summary>
public sealed class SliceColumnsConverter : JsonConverter<IReadOnlyList<SliceObservation>>
{
    private const decimal TicksPerSecond = TimeSpan.TicksPerSecond;

    public override IReadOnlyList<SliceObservation> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
            return JsonSerializer.Deserialize<List<SliceObservation>>(ref reader, options) ?? [];
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("Slices are neither a list nor columns.");

        DateTimeOffset? from = null;
        decimal? length = null;
        List<decimal> starts = [], lengths = [];
        List<(long First, long Count)>? runs = null;
        List<long> good = [], total = [];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "From": from = reader.GetDateTimeOffset(); break;
                case "Length": length = reader.GetDecimal(); break;
                case "Runs": runs = ReadRuns(ref reader); break;
                case "Starts": ReadNumbers(ref reader, starts, r => r.GetDecimal()); break;
                case "Lengths": ReadNumbers(ref reader, lengths, r => r.GetDecimal()); break;
                case "Good": ReadCounts(ref reader, good); break;
                case "Total": ReadCounts(ref reader, total); break;
                default: reader.Skip(); break;
            }
        }
        var count = good.Count;
        if (total.Count != count) throw new JsonException("The slice columns differ in length.");
        if (count > 0 && from is null) throw new JsonException("The slice columns have no From.");
        var slices = new SliceObservation[count];
        if (runs is not null)
        {
            if (length is not > 0 || runs.Sum(r => r.Count) != count) throw new JsonException("The slice runs do not match the columns.");
            var step = (long)(length.Value * TicksPerSecond);
            var i = 0;
            foreach (var (first, n) in runs)
                for (var k = 0; k < n; k++, i++)
                {
                    var start = from!.Value.AddTicks((first + k) * step);
                    slices[i] = new SliceObservation(start, start.AddTicks(step), good[i], total[i]);
                }
            return slices;
        }
        if (starts.Count != count || lengths.Count != count) throw new JsonException("The slice columns differ in length.");
        for (var i = 0; i < count; i++)
        {
            var start = from!.Value.AddTicks((long)(starts[i] * TicksPerSecond));
            slices[i] = new SliceObservation(start, start.AddTicks((long)(lengths[i] * TicksPerSecond)), good[i], total[i]);
        }
        return slices;
    }

    private delegate T NumberOf<out T>(Utf8JsonReader reader);

    private static void ReadNumbers<T>(ref Utf8JsonReader reader, List<T> into, NumberOf<T> read)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("A slice column is not an array.");
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) into.Add(read(reader));
    }

    /// <summary>A column of counts: a string of integers apart by single spaces, or (as written before) an array of numbers.</summary>
    private static void ReadCounts(ref Utf8JsonReader reader, List<long> into)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            ReadNumbers(ref reader, into, r => r.GetInt64());
            return;
        }
        // Digits, minus signs and spaces are never escaped: the raw bytes are the string.
        if (reader.ValueIsEscaped) throw new JsonException("A slice column holds escaped characters.");
        var text = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        while (!text.IsEmpty)
        {
            if (!Utf8Parser.TryParse(text, out long count, out var used) || used == 0) throw new JsonException("A slice column holds something other than integers.");
            into.Add(count);
            text = text[used..];
            if (text.IsEmpty) break;
            if (text[0] != (byte)' ' || text.Length == 1) throw new JsonException("The integers of a slice column are not apart by single spaces.");
            text = text[1..];
        }
    }

    private static List<(long First, long Count)> ReadRuns(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("The slice runs are not an array.");
        var runs = new List<(long, long)>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var pair = new List<long>(2);
            ReadNumbers(ref reader, pair, r => r.GetInt64());
            if (pair is not [var first, > 0 and var n]) throw new JsonException("A slice run is not [first, count].");
            runs.Add((first, n));
        }
        return runs;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<SliceObservation> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        var from = value.Count == 0 ? DateTimeOffset.UnixEpoch : value.Min(s => s.Start);
        writer.WriteString("From", from.ToUniversalTime());
        if (Runs(value, from) is { } runs)
        {
            WriteSeconds(writer, "Length", (value[0].End - value[0].Start).Ticks);
            writer.WriteStartArray("Runs");
            foreach (var (first, count) in runs)
            {
                writer.WriteStartArray();
                writer.WriteNumberValue(first);
                writer.WriteNumberValue(count);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteStartArray("Starts");
            foreach (var s in value) WriteSeconds(writer, null, (s.Start - from).Ticks);
            writer.WriteEndArray();
            writer.WriteStartArray("Lengths");
            foreach (var s in value) WriteSeconds(writer, null, (s.End - s.Start).Ticks);
            writer.WriteEndArray();
        }
        WriteCounts(writer, "Good", value, s => s.Good);
        WriteCounts(writer, "Total", value, s => s.Total);
        writer.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter writer, string name, IReadOnlyList<SliceObservation> slices, Func<SliceObservation, long> count)
    {
        // At most 20 bytes an integer (a minus sign and 19 digits) and a space.
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, slices.Count * 21));
        try
        {
            var length = 0;
            foreach (var s in slices)
            {
                if (length > 0) buffer[length++] = (byte)' ';
                Utf8Formatter.TryFormat(count(s), buffer.AsSpan(length), out var written);
                length += written;
            }
            writer.WriteString(name, buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The runs of consecutive slices, when every slice has the first one's length and starts a whole number of lengths after <paramref name="from"/>, in order; else null.</summary>
    private static List<(long First, long Count)>? Runs(IReadOnlyList<SliceObservation> slices, DateTimeOffset from)
    {
        if (slices.Count == 0) return null;
        var step = (slices[0].End - slices[0].Start).Ticks;
        var runs = new List<(long First, long Count)>();
        var next = long.MinValue;
        foreach (var s in slices)
        {
            var offset = (s.Start - from).Ticks;
            if ((s.End - s.Start).Ticks != step || offset % step != 0) return null;
            var index = offset / step;
            if (index == next) runs[^1] = (runs[^1].First, runs[^1].Count + 1);
            else if (index > next) runs.Add((index, 1));
            else return null;
            next = index + 1;
        }
        return runs;
    }

    // Whole seconds as integers; anything finer as the exact decimal (at most 7 decimal places, trailing zeros left out).
    private static void WriteSeconds(Utf8JsonWriter writer, string? name, long ticks)
    {
        if (name is not null) writer.WritePropertyName(name);
        if (ticks % TimeSpan.TicksPerSecond == 0) writer.WriteNumberValue(ticks / TimeSpan.TicksPerSecond);
        else writer.WriteNumberValue((ticks / TicksPerSecond) / 1.0000000000000000000000000000m);
    }
}
