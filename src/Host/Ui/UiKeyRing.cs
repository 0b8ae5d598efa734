using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Sre.Host.Ui;

/// <summary>One key of the data protection key ring: its XML as ASP.NET Core wrote it.</summary>
public sealed class UiKeyRingEntry
{
    public string Id { get; set; } = "";
    public string Xml { get; set; } = "";
}

/// <summary>
/// ASP.NET Core data protection's key ring kept in the event store's database (an <see cref="IXmlRepository"/>, the
/// framework's extension point), so that every replica decrypts the UI cookie another one wrote and a restart keeps
/// everyone signed in. The keys are not encrypted at rest: the database already holds everything they protect.
/// </summary>
public sealed class UiKeyRing(IDocumentStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        // Data protection's interface is synchronous (Marten's is not): it asks once a key ring refresh, every few hours.
        using var session = store.QuerySession();
        return session.Query<UiKeyRingEntry>().ToListAsync().GetAwaiter().GetResult().Select(e => XElement.Parse(e.Xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var session = store.LightweightSession();
        session.Store(new UiKeyRingEntry { Id = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        // Data protection's interface is synchronous; a key is written once every few months.
        session.SaveChangesAsync().GetAwaiter().GetResult();
    }
}
