using Ballast.ControlPlane.Validation;

namespace Ballast.ControlPlane.Store;

/// <summary>How an edit of the working configuration ended.</summary>
internal enum EditOutcome
{
    /// <summary>An existing object was changed (or deleted).</summary>
    Updated,

    /// <summary>A new object was created.</summary>
    Created,

    /// <summary>The object (or its parent) does not exist.</summary>
    NotFound,

    /// <summary>A field is invalid; nothing was stored.</summary>
    Invalid,

    /// <summary>The change conflicts with other objects; nothing was stored.</summary>
    Conflict,
}

/// <summary>Result of an edit: outcome, the stored object, or the errors.</summary>
/// <typeparam name="T">The edited object's type.</typeparam>
/// <param name="Outcome">How it ended.</param>
/// <param name="Value">The object as stored, when it succeeded.</param>
/// <param name="Errors">Why it failed, otherwise empty.</param>
internal sealed record EditResult<T>(EditOutcome Outcome, T? Value, IReadOnlyList<ValidationError> Errors)
{
    /// <summary>Whether the edit was stored.</summary>
    public bool Succeeded => Outcome is EditOutcome.Updated or EditOutcome.Created;

    /// <summary>A success.</summary>
    public static EditResult<T> Ok(T value, bool created) => new(created ? EditOutcome.Created : EditOutcome.Updated, value, []);

    /// <summary>A failure of the given kind.</summary>
    public static EditResult<T> Fail(EditOutcome outcome, IReadOnlyList<ValidationError> errors) => new(outcome, default, errors);

    /// <summary>A failure with one error.</summary>
    public static EditResult<T> Fail(EditOutcome outcome, string obj, string field, string message) =>
        new(outcome, default, [new ValidationError(obj, field, message)]);
}
