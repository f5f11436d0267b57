using Ballast.ControlPlane.Store;
using Ballast.ControlPlane.Validation;

namespace Ballast.ControlPlane.Api;

/// <summary>Error body of every failed admin API call: <c>{"errors":[{"object":..,"field":..,"message":..}]}</c>.</summary>
/// <param name="Errors">The errors.</param>
public sealed record ErrorResponse(IReadOnlyList<ValidationError> Errors)
{
    /// <summary>A response with one error.</summary>
    public static ErrorResponse One(string obj, string field, string message) => new([new ValidationError(obj, field, message)]);
}

/// <summary>Maps store outcomes to HTTP results.</summary>
internal static class ApiResults
{
    /// <summary>Author recorded for changes made through the admin API (the token has no user yet).</summary>
    public const string Actor = "api";

    /// <summary>422 with the errors.</summary>
    public static IResult Invalid(IReadOnlyList<ValidationError> errors) => TypedResults.UnprocessableEntity(new ErrorResponse(errors));

    /// <summary>404 naming the missing object.</summary>
    public static IResult NotFound(string obj) => TypedResults.NotFound(ErrorResponse.One(obj, "name", "not found"));

    /// <summary>200 (replaced), 201 (created) or the failure of a PUT/PATCH.</summary>
    public static IResult ForPut<T>(EditResult<T> result, string location) => result.Outcome switch
    {
        EditOutcome.Created => TypedResults.Created(location, result.Value),
        EditOutcome.Updated => TypedResults.Ok(result.Value),
        _ => Failure(result),
    };

    /// <summary>204 or the failure of a DELETE.</summary>
    public static IResult ForDelete<T>(EditResult<T> result) => result.Succeeded ? TypedResults.NoContent() : Failure(result);

    /// <summary>The body name must be empty or equal the URL name.</summary>
    public static ValidationError? NameMismatch(string obj, string urlName, string bodyName) =>
        bodyName.Length == 0 || bodyName == urlName ? null : new ValidationError(obj, "name", $"must match the name in the URL '{urlName}' (got '{bodyName}')");

    private static IResult Failure<T>(EditResult<T> result) => result.Outcome switch
    {
        EditOutcome.NotFound => TypedResults.NotFound(new ErrorResponse(result.Errors)),
        EditOutcome.Conflict => TypedResults.Conflict(new ErrorResponse(result.Errors)),
        _ => TypedResults.UnprocessableEntity(new ErrorResponse(result.Errors)),
    };
}
