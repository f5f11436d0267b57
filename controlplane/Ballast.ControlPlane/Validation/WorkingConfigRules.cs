using Ballast.ControlPlane.Model;

namespace Ballast.ControlPlane.Validation;

/// <summary>
/// The field rules for a whole configuration written at once (declarative apply, haproxy.cfg import): every object
/// is checked as an admin API PUT checks it, and names must be unique. References (default backends), bind overlaps
/// and node support are checked at publish, as for single edits.
/// </summary>
internal static class WorkingConfigRules
{
    /// <summary>
    /// Checks <paramref name="config"/>; <paramref name="canonical"/> is the configuration as the store keeps it
    /// (binds in canonical form, absent server lists empty). Errors name the object and the field.
    /// </summary>
    public static IReadOnlyList<ValidationError> Check(ConfigSpec config, out ConfigSpec canonical)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<ValidationError>();
        var frontends = CheckFrontends(config.Frontends ?? [], errors);
        var backends = CheckBackends(config.Backends ?? [], errors);
        canonical = new ConfigSpec { Frontends = frontends, Backends = backends };
        return errors;
    }

    private static List<FrontendSpec> CheckFrontends(IReadOnlyList<FrontendSpec> specs, List<ValidationError> errors)
    {
        var result = new List<FrontendSpec>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            if (spec is null)
            {
                errors.Add(new($"frontend #{i + 1}", "frontends", "must be an object, not null"));
                continue;
            }

            var obj = spec.Name.Length > 0 ? ObjectNames.Frontend(spec.Name) : $"frontend #{i + 1}";
            var bindErrors = new List<ValidationError>();
            var proto = SpecMapping.ToProto(spec, obj, bindErrors);
            var fieldErrors = new List<ValidationError>();
            ConfigValidator.ValidateFrontend(proto, obj, fieldErrors);
            if (bindErrors.Count > 0)
            {
                // Binds that did not parse were dropped from the message: do not also report "no binds".
                fieldErrors.RemoveAll(e => e.Field == "binds");
            }

            errors.AddRange(bindErrors);
            errors.AddRange(fieldErrors);
            if (spec.Name.Length > 0 && !names.Add(spec.Name))
            {
                errors.Add(new(obj, "name", "is used by more than one frontend"));
            }

            result.Add(spec with { Binds = proto.Binds.Select(BindAddress.Format).ToArray() });
        }

        return result;
    }

    private static List<BackendSpec> CheckBackends(IReadOnlyList<BackendSpec> specs, List<ValidationError> errors)
    {
        var result = new List<BackendSpec>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            if (spec is null)
            {
                errors.Add(new($"backend #{i + 1}", "backends", "must be an object, not null"));
                continue;
            }

            var obj = spec.Name.Length > 0 ? ObjectNames.Backend(spec.Name) : $"backend #{i + 1}";
            var servers = spec.Servers ?? [];
            var nullServer = servers.ToList().FindIndex(s => s is null);
            if (nullServer >= 0)
            {
                errors.Add(new(obj, $"servers[{nullServer}]", "must be an object, not null"));
                continue;
            }

            ConfigValidator.ValidateBackend(SpecMapping.ToProto(spec, servers, obj, errors), obj, errors);
            if (spec.Name.Length > 0 && !names.Add(spec.Name))
            {
                errors.Add(new(obj, "name", "is used by more than one backend"));
            }

            result.Add(spec with { Servers = servers.ToArray() });
        }

        return result;
    }
}
