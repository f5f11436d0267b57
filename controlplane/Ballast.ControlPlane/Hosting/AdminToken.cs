using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Ballast.ControlPlane.Hosting;

/// <summary>The admin bearer token: resolution at start-up and constant-time checks.</summary>
public sealed class AdminToken
{
    /// <summary>Name of the token file in the data folder.</summary>
    public const string FileName = "admin-token";

    private readonly byte[] _hash;

    /// <summary>Wraps <paramref name="value"/>.</summary>
    public AdminToken(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Value = value;
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>The token.</summary>
    public string Value { get; }

    /// <summary>Where the token came from: <c>option</c>, <c>environment</c>, <c>file</c> or <c>generated</c>.</summary>
    public string Source { get; private init; } = "option";

    /// <summary>
    /// The token from <paramref name="configured"/>, else the <c>BALLAST_ADMIN_TOKEN</c> value, else the token file in
    /// <paramref name="dataDir"/>, else a new one (32 random bytes, url-safe base64) written there with mode 600.
    /// </summary>
    public static AdminToken Resolve(string? configured, string? environment, string dataDir)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new AdminToken(configured.Trim()) { Source = "option" };
        }

        if (!string.IsNullOrWhiteSpace(environment))
        {
            return new AdminToken(environment.Trim()) { Source = "environment" };
        }

        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path))
        {
            var stored = File.ReadAllText(path).Trim();
            if (stored.Length > 0)
            {
                return new AdminToken(stored) { Source = "file" };
            }
        }

        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, Encoding.ASCII, options))
        {
            writer.Write(token);
            writer.Write('\n');
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new AdminToken(token) { Source = "generated" };
    }

    /// <summary>Whether <paramref name="candidate"/> is the token, in constant time (hashes of equal length are compared).</summary>
    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(candidate)));
}
