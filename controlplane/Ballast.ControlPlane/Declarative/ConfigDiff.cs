using System.Text.Json;
using Ballast.ControlPlane.Model;
using Ballast.ControlPlane.Validation;

namespace Ballast.ControlPlane.Declarative;

/// <summary>
/// Compares two configurations object by object (frontends and backends by name, servers by name within their
/// backend) and field by field over their admin API JSON, so fields added to the model are compared without
/// changes here. Nested objects are compared per field (<c>healthCheck.rise</c>), arrays as a whole (<c>binds</c>).
/// A new or removed frontend or backend is one change (its servers are not listed); server order is ignored.
/// </summary>
internal static class ConfigDiff
{
    private const string ServersProperty = "servers";

    /// <summary>
    /// The changes that turn <paramref name="before"/> into <paramref name="after"/>: frontends, then backends, then
    /// certificates (<see cref="CertificateDiff"/>), each by name.
    /// </summary>
    public static IReadOnlyList<ConfigChange> Compare(ConfigSpec before, ConfigSpec after)
    {
        var changes = new List<ConfigChange>();
        CompareObjects(before.Frontends, after.Frontends, f => f.Name, ObjectNames.Frontend, changes, nested: null);
        CompareObjects(before.Backends, after.Backends, b => b.Name, ObjectNames.Backend, changes, (old, current) =>
            CompareObjects(old.Servers ?? [], current.Servers ?? [], s => s.Name, s => ObjectNames.Server(current.Name, s), changes, nested: null));
        CertificateDiff.Compare(before.Certificates ?? [], after.Certificates ?? [], changes);
        return changes;
    }

    private static void CompareObjects<T>(
        IReadOnlyList<T> before,
        IReadOnlyList<T> after,
        Func<T, string> nameOf,
        Func<string, string> objectName,
        List<ConfigChange> changes,
        Action<T, T>? nested)
    {
        var old = before.ToDictionary(nameOf, StringComparer.Ordinal);
        var current = after.ToDictionary(nameOf, StringComparer.Ordinal);
        foreach (var name in old.Keys.Union(current.Keys).Order(StringComparer.Ordinal))
        {
            var had = old.TryGetValue(name, out var was);
            var has = current.TryGetValue(name, out var now);
            if (!had)
            {
                changes.Add(new(ConfigChange.Add, objectName(name)));
            }
            else if (!has)
            {
                changes.Add(new(ConfigChange.Remove, objectName(name)));
            }
            else
            {
                CompareFields(Flatten(was!), Flatten(now!), objectName(name), changes);
                nested?.Invoke(was!, now!);
            }
        }
    }

    private static void CompareFields(List<(string Field, string Value)> before, List<(string Field, string Value)> after, string obj, List<ConfigChange> changes)
    {
        var old = before.ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (field, value) in after)
        {
            seen.Add(field);
            var had = old.TryGetValue(field, out var was);
            if (!had || was != value)
            {
                changes.Add(new(ConfigChange.Change, obj, field, had ? was : null, value));
            }
        }

        foreach (var (field, value) in before.Where(f => !seen.Contains(f.Field)))
        {
            changes.Add(new(ConfigChange.Change, obj, field, value, null));
        }
    }

    // The object's admin API JSON as (field path, value text) pairs in declaration order; a backend's servers are compared separately.
    private static List<(string Field, string Value)> Flatten<T>(T value)
    {
        var fields = new List<(string, string)>();
        var element = JsonSerializer.SerializeToElement(value, NativeFormat.Json);
        Flatten(element, prefix: string.Empty, fields);
        return fields;
    }

    private static void Flatten(JsonElement element, string prefix, List<(string, string)> fields)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (prefix.Length == 0 && property.Name == ServersProperty)
            {
                continue;
            }

            var name = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                Flatten(property.Value, name, fields);
            }
            else
            {
                fields.Add((name, Text(property.Value)));
            }
        }
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        _ => value.GetRawText(),
    };
}
