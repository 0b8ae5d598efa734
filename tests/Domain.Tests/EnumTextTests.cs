using System.Text.Json;
using Sre.Domain.Backups;
using Sre.Domain.Slos;

namespace Sre.Domain.Tests;

public class EnumTextTests
{
    [Theory]
    [InlineData("partiallyFailed", BackupPhase.PartiallyFailed)]
    [InlineData("PartiallyFailed", BackupPhase.PartiallyFailed)]
    [InlineData("PARTIALLYFAILED", BackupPhase.PartiallyFailed)]
    [InlineData("completed", BackupPhase.Completed)]
    public void a_member_is_read_by_its_name_in_any_letter_case(string text, BackupPhase phase) =>
        Assert.Equal(phase, EnumText.Parse<BackupPhase>(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("-1")]
    [InlineData("99")]
    [InlineData("completed, failed")]
    [InlineData("partially-failed")]
    [InlineData("partially_failed")]
    [InlineData("done")]
    public void anything_but_a_declared_member_is_refused(string? text) =>
        Assert.Null(EnumText.Parse<BackupPhase>(text));

    [Fact]
    public void every_member_reads_back_from_the_name_it_is_written_with()
    {
        Assert.All(Enum.GetValues<BackupPhase>(), p => Assert.Equal(p, EnumText.Parse<BackupPhase>(EnumText.Name(p))));
        Assert.All(Enum.GetValues<SliKind>(), k => Assert.Equal(k, EnumText.Parse<SliKind>(EnumText.Name(k))));
        Assert.Equal("waitingForPluginOperations", EnumText.Name(BackupPhase.WaitingForPluginOperations));
    }

    [Theory]
    [InlineData("\"latency\"", true)]
    [InlineData("\"Latency\"", true)]
    [InlineData("\"1\"", false)]
    [InlineData("1", false)]
    [InlineData("\"late ncy\"", false)]
    public void json_bodies_read_enums_as_the_parser_does(string json, bool accepted)
    {
        var options = new JsonSerializerOptions { Converters = { EnumText.JsonConverter } };
        SliKind? read;
        try { read = JsonSerializer.Deserialize<SliKind>(json, options); }
        catch (JsonException) { read = null; }
        Assert.Equal(accepted, read is not null);
        if (json.StartsWith('"')) Assert.Equal(read, EnumText.Parse<SliKind>(json.Trim('"')));
    }
}
