using Microsoft.EntityFrameworkCore;

namespace Ballast.ControlPlane.Store;

/// <summary>
/// The one "add the columns an older database lacks" step of the store: each feature declares its columns, and
/// <see cref="AddMissingAsync"/> adds those missing, idempotently (SQLite <c>pragma_table_info</c> then
/// <c>ALTER TABLE ... ADD COLUMN</c>). Databases created by this version get every column from EF Core's model.
/// </summary>
internal static class SchemaColumns
{
    /// <summary>Adds each of <paramref name="columns"/> its table lacks.</summary>
    /// <param name="db">The context.</param>
    /// <param name="columns">Table, column name and SQLite definition (e.g. <c>INTEGER NOT NULL DEFAULT 0</c>; no braces:
    /// ExecuteSqlRaw reads them as format placeholders) of each column; constants, never user input.</param>
    /// <param name="cancellationToken">Cancels the upgrade.</param>
    public static async Task AddMissingAsync(BallastDbContext db, IReadOnlyList<(string Table, string Column, string Definition)> columns, CancellationToken cancellationToken)
    {
        foreach (var table in columns.Select(c => c.Table).Distinct(StringComparer.Ordinal))
        {
#pragma warning disable EF1002 // table and column names are constants of the callers
            var existing = await db.Database
                .SqlQueryRaw<string>($"SELECT name AS Value FROM pragma_table_info('{table}')")
                .ToListAsync(cancellationToken);
            foreach (var (_, column, definition) in columns.Where(c => c.Table == table))
            {
                if (!existing.Contains(column, StringComparer.OrdinalIgnoreCase))
                {
                    await db.Database.ExecuteSqlRawAsync($"ALTER TABLE {table} ADD COLUMN {column} {definition};", cancellationToken);
                }
            }
#pragma warning restore EF1002
        }
    }
}
