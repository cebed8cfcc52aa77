using System.Security.Cryptography;
using System.Text;

namespace SeasonalGrains.Data.Io;

/// <summary>
/// The SHA-256 of a folder's files (each file directly in it, in ordinal order of name: its name, length and bytes), so
/// processes that read the same folder from a shared file system can check they read the same bytes.
/// </summary>
public static class FolderFingerprint
{
    /// <summary>Lower-case hex SHA-256 of the folder's files.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static string Of(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The folder '{folder}' does not exist.");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        foreach (var path in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(path);
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(path) + "\n" + stream.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n"));
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
