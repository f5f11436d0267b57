using System.Text.Json;
using System.Text.Json.Serialization;
using Ballast.ControlPlane.Model;

namespace Ballast.ControlPlane.Store;

/// <summary>Adds audit entries to a unit of work, so the entry commits (or not) with the change it records.</summary>
internal sealed class AuditWriter(TimeProvider timeProvider)
{
    private readonly JsonSerializerOptions _json = ModelJson.Configure(
        new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull });

    /// <summary>Adds an entry whose detail is <paramref name="detail"/> serialized as admin API JSON.</summary>
    public void Add<T>(BallastDbContext db, string actor, string action, string obj, T detail) =>
        Add(db, actor, action, obj, JsonSerializer.Serialize(detail, _json));

    /// <summary>Adds an entry with a plain-text detail.</summary>
    public void Add(BallastDbContext db, string actor, string action, string obj, string detail) =>
        db.AuditEntries.Add(new AuditEntryEntity
        {
            Time = timeProvider.GetUtcNow(),
            Actor = actor,
            Action = action,
            Object = obj,
            Detail = detail,
        });
}
