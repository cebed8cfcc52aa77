using System.Runtime.InteropServices;
using SeasonalGrains.NativeFix;
using TorchSharp;

namespace SeasonalGrains.Forecasting.Tests;

[Collection(TorchCollection.Name)]
public sealed class NativeLibraryPatchTests : IDisposable
{
    private const string Version = "GLIBCXX_3.4.32";
    private const string LibraryName = "libLibTorchSharp.so";

    // From `readelf -V` of TorchSharp 0.107.0's runtimes/linux-x64/native/libLibTorchSharp.so:
    // .gnu.version_r starts at file offset 0x3f8f0, the GLIBCXX_3.4.32 Vernaux entry sits at
    // entry offset 0x140, and vna_flags is 4 bytes into a Vernaux entry (after vna_hash).
    private const long FlagsOffsetOfGlibcxx3432 = 0x3f8f0 + 0x140 + 4;

    private readonly string _temp = Directory.CreateTempSubdirectory("native-patch-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Patching_a_copy_sets_the_weak_flag_on_GLIBCXX_3_4_32_and_changes_nothing_else()
    {
        var copy = CopyPackageLibrary();
        var before = File.ReadAllBytes(copy);
        var needsBefore = ElfVersionNeeds.ReadNeeds(before);

        // readelf lists 5 needed files with 1 + 1 + 1 + 5 + 20 versions.
        Assert.Equal(28, needsBefore.Count);
        var need = Assert.Single(needsBefore, n => n.Name == Version);
        Assert.Equal("libstdc++.so.6", need.File);
        Assert.False(need.IsWeak);
        Assert.Equal(FlagsOffsetOfGlibcxx3432, need.FlagsOffset);

        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeeds.MarkWeak(copy, Version));

        var after = File.ReadAllBytes(copy);
        Assert.Equal(before.Length, after.Length);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
        Assert.Equal([FlagsOffsetOfGlibcxx3432], changed.Select(i => (long)i));
        Assert.Equal(ElfVersionNeeds.VerFlagWeak, after[FlagsOffsetOfGlibcxx3432]);
        var needsAfter = ElfVersionNeeds.ReadNeeds(after);
        Assert.All(needsAfter, n => Assert.Equal(n.Name == Version, n.IsWeak));
    }

    [Fact]
    public void Patching_twice_is_a_no_op()
    {
        var copy = CopyPackageLibrary();
        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeeds.MarkWeak(copy, Version));
        var once = File.ReadAllBytes(copy);
        var written = File.GetLastWriteTimeUtc(copy);

        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionNeeds.MarkWeak(copy, Version));

        Assert.Equal(once, File.ReadAllBytes(copy));
        Assert.Equal(written, File.GetLastWriteTimeUtc(copy));
    }

    [Fact]
    public void Patching_keeps_the_last_write_time_so_incremental_copies_skip_the_file()
    {
        var copy = CopyPackageLibrary();
        var original = new DateTime(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(copy, original);

        ElfVersionNeeds.MarkWeak(copy, Version);

        Assert.Equal(original, File.GetLastWriteTimeUtc(copy));
    }

    [Fact]
    public void A_version_the_library_does_not_need_leaves_the_file_alone()
    {
        var copy = CopyPackageLibrary();
        var before = File.ReadAllBytes(copy);

        Assert.Equal(ElfPatchOutcome.VersionNotNeeded, ElfVersionNeeds.MarkWeak(copy, "GLIBCXX_9.9.99"));
        Assert.Equal(before, File.ReadAllBytes(copy));
    }

    [Fact]
    public void Patching_through_a_hard_link_leaves_the_other_link_untouched()
    {
        var original = CopyPackageLibrary();
        var linked = Path.Combine(_temp, "linked.so");
        Assert.True(Link(original, linked) == 0, $"link() failed with errno {Marshal.GetLastPInvokeError()}");
        var before = File.ReadAllBytes(original);

        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionNeeds.MarkWeak(linked, Version));

        Assert.Equal(before, File.ReadAllBytes(original));
        Assert.False(ElfVersionNeeds.ReadNeeds(File.ReadAllBytes(original)).Single(n => n.Name == Version).IsWeak);
        Assert.True(ElfVersionNeeds.ReadNeeds(File.ReadAllBytes(linked)).Single(n => n.Name == Version).IsWeak);
    }

    [Fact]
    public void A_file_that_is_not_an_ELF64_little_endian_library_is_rejected_with_a_clear_error()
    {
        var notElf = "#!/bin/sh\necho this is a shell script and not a shared library at all, whatever its name says\n"u8.ToArray();
        var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.ReadNeeds(notElf));
        Assert.Contains("bad magic", error.Message);

        var elf32 = File.ReadAllBytes(PackageLibraryPath());
        elf32[4] = 1; // EI_CLASS = ELFCLASS32
        Assert.Contains("64-bit", Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.ReadNeeds(elf32)).Message);
    }

    [Fact]
    public void The_system_libstdcxx_version_definitions_are_read()
    {
        var libstdcxx = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }.First(File.Exists);

        var defined = ElfVersionNeeds.ReadDefinitions(File.ReadAllBytes(libstdcxx));

        // Every libstdc++ since GCC 3.4 defines the base versions GLIBCXX_3.4 and CXXABI_1.3.
        Assert.Contains("GLIBCXX_3.4", defined);
        Assert.Contains("CXXABI_1.3", defined);
        Assert.Contains("libstdc++.so.6", defined); // the first Verdef entry names the file itself
    }

    [Fact]
    public void Build_output_library_is_patched_the_package_cache_is_not_and_torch_computes()
    {
        var output = Path.Combine(AppContext.BaseDirectory, LibraryName);
        var systemHasVersion = ElfVersionNeeds.Defines("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", Version);

        var outputNeed = ElfVersionNeeds.ReadNeeds(File.ReadAllBytes(output)).Single(n => n.Name == Version);
        var packageNeed = ElfVersionNeeds.ReadNeeds(File.ReadAllBytes(PackageLibraryPath())).Single(n => n.Name == Version);
        Assert.True(outputNeed.IsWeak || systemHasVersion, $"{output} was not patched by the build");
        Assert.False(packageNeed.IsWeak, "the NuGet cache copy must never be edited");

        using var sum = torch.ones(2, 2).sum();
        Assert.Equal(4f, sum.item<float>());
        Assert.False(Directory.Exists(Path.Combine(AppContext.BaseDirectory, "cpu")), "a failed native load left a cpu/ copy");
    }

    private string CopyPackageLibrary()
    {
        var copy = Path.Combine(_temp, LibraryName);
        File.Copy(PackageLibraryPath(), copy);
        return copy;
    }

    private static string PackageLibraryPath()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", LibraryName);
        Assert.True(File.Exists(path), $"TorchSharp 0.107.0 is not restored at {path}");
        return path;
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string created);
}
