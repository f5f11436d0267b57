using System.Runtime.CompilerServices;

namespace Ballast.Proto.Grpc;

/// <summary>Extensions for <see cref="IAsyncStreamReader{T}"/>.</summary>
public static class AsyncStreamReaderExtensions
{
    /// <summary>Enumerates the remaining messages of <paramref name="reader"/> until the end of the stream.</summary>
    /// <typeparam name="T">Message type.</typeparam>
    /// <param name="reader">The stream to read.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The messages, in order.</returns>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(
        this IAsyncStreamReader<T> reader,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        while (await reader.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.Current;
        }
    }
}
