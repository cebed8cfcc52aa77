// Reads and edits the GNU symbol-versioning sections of an ELF64 little-endian shared library.
//
// This one file is compiled twice:
//  * by MSBuild's RoslynCodeTaskFactory (see build/TorchSharpNativeFix.targets), which defines no
//    preprocessor symbols, so the MSBuild task at the bottom is included;
//  * into the test project (linked source), where the SDK defines NETCOREAPP and the task is left out.
// It therefore sticks to APIs and language features available to a netstandard2.0 inline task
// (no records, no init accessors, no Span).
#nullable enable

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace SeasonalGrains.NativeFix;

/// <summary>One Vernaux entry of the SHT_GNU_verneed section: a version the library needs from a file.</summary>
public sealed class ElfVersionNeed
{
    public ElfVersionNeed(string file, string name, ushort flags, long flagsOffset)
    {
        File = file;
        Name = name;
        Flags = flags;
        FlagsOffset = flagsOffset;
    }

    /// <summary>The needed library (vn_file), e.g. <c>libstdc++.so.6</c>.</summary>
    public string File { get; }

    /// <summary>The version name (vna_name), e.g. <c>GLIBCXX_3.4.32</c>.</summary>
    public string Name { get; }

    /// <summary>vna_flags; bit <see cref="ElfVersionNeeds.VerFlagWeak"/> marks a weak (non-fatal) need.</summary>
    public ushort Flags { get; }

    /// <summary>File offset of the two-byte vna_flags field.</summary>
    public long FlagsOffset { get; }

    public bool IsWeak => (Flags & ElfVersionNeeds.VerFlagWeak) != 0;
}

/// <summary>What <see cref="ElfVersionNeeds.MarkWeak(string,string)"/> did to a file.</summary>
public enum ElfPatchOutcome
{
    /// <summary>The version was needed and not weak; the file now marks it weak.</summary>
    Patched,

    /// <summary>Every entry of that version was already weak; the file was not written.</summary>
    AlreadyWeak,

    /// <summary>The library does not need that version at all; the file was not written.</summary>
    VersionNotNeeded,
}

/// <summary>
/// Parses the section headers of an ELF64 little-endian file, walks the Verneed/Vernaux chains of
/// SHT_GNU_verneed (<c>.gnu.version_r</c>) and the Verdef/Verdaux chains of SHT_GNU_verdef
/// (<c>.gnu.version_d</c>), resolving names through the string table named by the section's sh_link.
/// Setting VER_FLG_WEAK on a needed version makes the dynamic loader treat its absence as non-fatal;
/// where the version exists, symbol binding is unchanged, so the flag is harmless there.
/// </summary>
public static class ElfVersionNeeds
{
    public const ushort VerFlagWeak = 0x2;
    public const uint ShtGnuVerdef = 0x6ffffffd;
    public const uint ShtGnuVerneed = 0x6ffffffe;

    private const int ElfHeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const int VerneedSize = 16;
    private const int VernauxSize = 16;
    private const int VerdefSize = 20;
    private const int VerdauxSize = 8;
    private const int MaxEntries = 1 << 16;

    /// <summary>All Vernaux entries of the file, in file order.</summary>
    public static IReadOnlyList<ElfVersionNeed> ReadNeeds(byte[] elf)
    {
        var result = new List<ElfVersionNeed>();
        var sections = ReadSections(elf);
        foreach (var section in sections)
        {
            if (section.Type != ShtGnuVerneed)
            {
                continue;
            }

            var strings = sections[(int)section.Link];
            long entry = section.Offset;
            var end = section.Offset + section.Size;
            for (var i = 0; i < Math.Min(section.Info, MaxEntries); i++)
            {
                Require(entry >= section.Offset && entry + VerneedSize <= end, "a Verneed entry lies outside its section");
                var count = U16(elf, entry + 2);
                var file = ReadString(elf, strings, U32(elf, entry + 4));
                long aux = entry + U32(elf, entry + 8);
                for (var k = 0; k < count; k++)
                {
                    Require(aux >= section.Offset && aux + VernauxSize <= end, "a Vernaux entry lies outside its section");
                    var flags = U16(elf, aux + 4);
                    var name = ReadString(elf, strings, U32(elf, aux + 8));
                    result.Add(new ElfVersionNeed(file, name, flags, aux + 4));
                    var nextAux = U32(elf, aux + 12);
                    if (nextAux == 0)
                    {
                        break;
                    }

                    aux += nextAux;
                }

                var next = U32(elf, entry + 12);
                if (next == 0)
                {
                    break;
                }

                entry += next;
            }
        }

        return result;
    }

    /// <summary>The version names a library defines (first Verdaux name of each Verdef entry).</summary>
    public static IReadOnlyList<string> ReadDefinitions(byte[] elf)
    {
        var result = new List<string>();
        var sections = ReadSections(elf);
        foreach (var section in sections)
        {
            if (section.Type != ShtGnuVerdef)
            {
                continue;
            }

            var strings = sections[(int)section.Link];
            long entry = section.Offset;
            var end = section.Offset + section.Size;
            for (var i = 0; i < Math.Min(section.Info, MaxEntries); i++)
            {
                Require(entry >= section.Offset && entry + VerdefSize <= end, "a Verdef entry lies outside its section");
                var count = U16(elf, entry + 6);
                if (count > 0)
                {
                    long aux = entry + U32(elf, entry + 12);
                    Require(aux >= section.Offset && aux + VerdauxSize <= end, "a Verdaux entry lies outside its section");
                    result.Add(ReadString(elf, strings, U32(elf, aux)));
                }

                var next = U32(elf, entry + 16);
                if (next == 0)
                {
                    break;
                }

                entry += next;
            }
        }

        return result;
    }

    /// <summary>True when the library at <paramref name="path"/> defines <paramref name="versionName"/>.</summary>
    public static bool Defines(string path, string versionName)
    {
        return ReadDefinitions(System.IO.File.ReadAllBytes(path)).Contains(versionName);
    }

    /// <summary>
    /// Sets VER_FLG_WEAK on every Vernaux entry named <paramref name="versionName"/> in the buffer.
    /// Returns how many entries changed (0 when already weak or not needed).
    /// </summary>
    public static int MarkWeak(byte[] elf, string versionName)
    {
        var changed = 0;
        foreach (var need in ReadNeeds(elf))
        {
            if (need.Name == versionName && !need.IsWeak)
            {
                var flags = (ushort)(need.Flags | VerFlagWeak);
                elf[need.FlagsOffset] = (byte)(flags & 0xff);
                elf[need.FlagsOffset + 1] = (byte)(flags >> 8);
                changed++;
            }
        }

        return changed;
    }

    /// <summary>
    /// Marks <paramref name="versionName"/> weak in the file at <paramref name="path"/>, copy-on-write:
    /// the patched bytes go to a new file in the same folder which then replaces the path by rename.
    /// The inode that was at the path (possibly a hard link into a package cache, or a library mapped
    /// by a running process) is never written. The last-write time is kept, so an incremental copy
    /// that compares size and time does not copy the unpatched original over it again.
    /// </summary>
    public static ElfPatchOutcome MarkWeak(string path, string versionName)
    {
        var bytes = System.IO.File.ReadAllBytes(path);
        var needs = ReadNeeds(bytes);
        var any = false;
        foreach (var need in needs)
        {
            any |= need.Name == versionName;
        }

        if (!any)
        {
            return ElfPatchOutcome.VersionNotNeeded;
        }

        if (MarkWeak(bytes, versionName) == 0)
        {
            return ElfPatchOutcome.AlreadyWeak;
        }

        var fullPath = Path.GetFullPath(path);
        var lastWrite = System.IO.File.GetLastWriteTimeUtc(fullPath);
        var temp = fullPath + ".weak-" + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            System.IO.File.WriteAllBytes(temp, bytes);
            System.IO.File.SetLastWriteTimeUtc(temp, lastWrite);
            System.IO.File.Replace(temp, fullPath, null);
        }
        finally
        {
            if (System.IO.File.Exists(temp))
            {
                System.IO.File.Delete(temp);
            }
        }

        return ElfPatchOutcome.Patched;
    }

    private static List<Section> ReadSections(byte[] elf)
    {
        Require(elf.Length >= ElfHeaderSize, "the file is shorter than an ELF header");
        Require(elf[0] == 0x7f && elf[1] == (byte)'E' && elf[2] == (byte)'L' && elf[3] == (byte)'F', "not an ELF file (bad magic)");
        Require(elf[4] == 2, "not a 64-bit ELF file (EI_CLASS is not ELFCLASS64)");
        Require(elf[5] == 1, "not a little-endian ELF file (EI_DATA is not ELFDATA2LSB)");

        var sectionOffset = U64(elf, 0x28);
        var entrySize = U16(elf, 0x3a);
        long count = U16(elf, 0x3c);
        if (sectionOffset == 0)
        {
            return new List<Section>();
        }

        Require(entrySize >= SectionHeaderSize, "section header entries are smaller than Elf64_Shdr");
        if (count == 0)
        {
            // Extended numbering: the real count sits in sh_size of section header 0.
            Require(sectionOffset + SectionHeaderSize <= elf.Length, "section header 0 lies outside the file");
            count = U64(elf, sectionOffset + 0x20);
        }

        Require(count <= MaxEntries * 16L && sectionOffset + (count * entrySize) <= elf.Length, "the section header table lies outside the file");
        var sections = new List<Section>((int)count);
        for (long i = 0; i < count; i++)
        {
            var at = sectionOffset + (i * entrySize);
            var section = new Section(
                U32(elf, at + 4),
                U64(elf, at + 0x18),
                U64(elf, at + 0x20),
                U32(elf, at + 0x28),
                U32(elf, at + 0x2c));
            if (section.Type == ShtGnuVerneed || section.Type == ShtGnuVerdef)
            {
                Require(section.Offset + section.Size <= elf.Length, "a versioning section lies outside the file");
            }

            sections.Add(section);
        }

        foreach (var section in sections)
        {
            if (section.Type == ShtGnuVerneed || section.Type == ShtGnuVerdef)
            {
                Require(section.Link < sections.Count, "a versioning section links to a missing string table");
                var table = sections[(int)section.Link];
                Require(table.Offset + table.Size <= elf.Length, "a string table lies outside the file");
            }
        }

        return sections;
    }

    private static string ReadString(byte[] elf, Section table, uint offset)
    {
        Require(offset < table.Size, "a name offset lies outside its string table");
        var start = table.Offset + offset;
        var end = start;
        var limit = table.Offset + table.Size;
        while (end < limit && elf[end] != 0)
        {
            end++;
        }

        Require(end < limit, "a name in the string table is not terminated");
        return Encoding.ASCII.GetString(elf, (int)start, (int)(end - start));
    }

    private static ushort U16(byte[] b, long at)
    {
        Require(at >= 0 && at + 2 <= b.Length, "read past the end of the file");
        return (ushort)(b[at] | (b[at + 1] << 8));
    }

    private static uint U32(byte[] b, long at)
    {
        Require(at >= 0 && at + 4 <= b.Length, "read past the end of the file");
        return (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));
    }

    private static long U64(byte[] b, long at)
    {
        var low = U32(b, at);
        var high = U32(b, at + 4);
        Require(high < 0x80000000u, "an offset does not fit in a signed 64-bit integer");
        return ((long)high << 32) | low;
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException("Malformed ELF file: " + problem + ".");
        }
    }

    private readonly struct Section
    {
        public Section(uint type, long offset, long size, uint link, uint info)
        {
            Type = type;
            Offset = offset;
            Size = size;
            Link = link;
            Info = info;
        }

        public uint Type { get; }

        public long Offset { get; }

        public long Size { get; }

        public uint Link { get; }

        public uint Info { get; }
    }
}

#if !NETCOREAPP
/// <summary>
/// MSBuild task: marks the given versions weak in each library file, unless <see cref="Mode"/> is
/// <c>Auto</c> and the system's libstdc++ (the first of <see cref="SystemLibraries"/> that exists)
/// defines every one of them. Refuses files under <see cref="ProtectedRoot"/> (the NuGet cache).
/// </summary>
public sealed class PatchElfVersionNeeds : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

    [Microsoft.Build.Framework.Required]
    public string[] Versions { get; set; } = Array.Empty<string>();

    public string Mode { get; set; } = "Auto";

    public string[] SystemLibraries { get; set; } = Array.Empty<string>();

    public string ProtectedRoot { get; set; } = "";

    public override bool Execute()
    {
        if (Mode != "Auto" && Mode != "Always")
        {
            Log.LogError("TorchSharpNativeFix: Mode must be Auto or Always, not '" + Mode + "'.");
            return false;
        }

        if (Mode == "Auto")
        {
            foreach (var candidate in SystemLibraries)
            {
                if (!System.IO.File.Exists(candidate))
                {
                    continue;
                }

                IReadOnlyList<string> defined;
                try
                {
                    defined = ElfVersionNeeds.ReadDefinitions(System.IO.File.ReadAllBytes(candidate));
                }
                catch (Exception error) when (error is IOException || error is UnauthorizedAccessException || error is InvalidDataException)
                {
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal,
                        "TorchSharpNativeFix: cannot read " + candidate + " (" + error.Message + "); patching anyway.");
                    break;
                }

                var missing = new List<string>();
                foreach (var version in Versions)
                {
                    if (!defined.Contains(version))
                    {
                        missing.Add(version);
                    }
                }

                if (missing.Count == 0)
                {
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal,
                        "TorchSharpNativeFix: " + candidate + " defines " + string.Join(", ", Versions) + "; no patch needed.");
                    return true;
                }

                break;
            }
        }

        var root = string.IsNullOrEmpty(ProtectedRoot) ? "" : Path.GetFullPath(ProtectedRoot).TrimEnd('/') + "/";
        foreach (var item in Files)
        {
            var path = Path.GetFullPath(item.ItemSpec);
            if (root.Length > 0 && path.StartsWith(root, StringComparison.Ordinal))
            {
                Log.LogError("TorchSharpNativeFix: refusing to patch " + path + ": it lies in the package cache " + root + ".");
                return false;
            }

            foreach (var version in Versions)
            {
                try
                {
                    var outcome = ElfVersionNeeds.MarkWeak(path, version);
                    var importance = outcome == ElfPatchOutcome.Patched
                        ? Microsoft.Build.Framework.MessageImportance.High
                        : Microsoft.Build.Framework.MessageImportance.Normal;
                    Log.LogMessage(importance, "TorchSharpNativeFix: " + path + ": " + version + " " + Describe(outcome) + ".");
                }
                catch (Exception error) when (error is IOException || error is UnauthorizedAccessException || error is InvalidDataException)
                {
                    Log.LogError("TorchSharpNativeFix: cannot patch " + path + ": " + error.Message);
                    return false;
                }
            }
        }

        return !Log.HasLoggedErrors;
    }

    private static string Describe(ElfPatchOutcome outcome)
    {
        switch (outcome)
        {
            case ElfPatchOutcome.Patched:
                return "marked weak";
            case ElfPatchOutcome.AlreadyWeak:
                return "already weak";
            default:
                return "not needed by the library";
        }
    }
}
#endif
