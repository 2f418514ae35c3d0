using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace AnomalyTools.Commands
{
    /// <summary>
    /// Loads AnomalyTools.Core and its libraries (CsvHelper above all) from the module's Dependencies folder, apart from
    /// whatever else the session has loaded: another module that brought its own CsvHelper version first then cannot
    /// break this one, nor this one break it.
    /// </summary>
    /// <remarks>
    /// PowerShell calls <see cref="OnImport"/> when the module is imported, before any cmdlet runs and so before
    /// AnomalyTools.Core is first needed. Core is kept out of the module's root folder so that nothing but this resolver
    /// can find it. The resolver stays for the life of the process, even after Remove-Module: loaded assemblies cannot be
    /// unloaded, and other runspaces of the process may still use the module.
    /// </remarks>
    public sealed class DependencyIsolation : IModuleAssemblyInitializer
    {
        private const string DependenciesFolderName = "Dependencies";
        private const string CoreAssemblyName = "AnomalyTools.Core";
        // Loaded only when a Kafka parameter set runs: then it, Confluent.Kafka and librdkafka come from Dependencies too.
        private const string KafkaAssemblyName = "AnomalyTools.Kafka";
        private static readonly object s_lock = new object();
        private static readonly string s_dependenciesPath = System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(typeof(DependencyIsolation).Assembly.Location) ?? string.Empty, DependenciesFolderName);
        private static bool s_installed;

        /// <summary>Installs the resolver; PowerShell calls this when the module is imported.</summary>
        public void OnImport()
        {
            lock (s_lock)
            {
                if (s_installed) return;
                if (IsNetFramework) FrameworkResolver.Install(s_dependenciesPath);
                else InstallCoreResolver();
                s_installed = true;
            }
        }

        private static bool IsNetFramework =>
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        // Kept out of OnImport so that .NET Framework, which has no AssemblyLoadContext, never compiles a call to it.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void InstallCoreResolver() => CoreResolver.Install(s_dependenciesPath, CoreAssemblyName, KafkaAssemblyName);

        private static string? PathIn(string folder, AssemblyName name)
        {
            var path = System.IO.Path.Combine(folder, name.Name + ".dll");
            return File.Exists(path) ? path : null;
        }

        /// <summary>
        /// PowerShell 7 (.NET): AnomalyTools.Core goes into a load context of its own, which then resolves Core's
        /// references from the Dependencies folder before anything loaded in the default context.
        /// </summary>
        private static class CoreResolver
        {
            private static ModuleLoadContext? s_context;
            private static string s_coreAssemblyName = string.Empty;
            private static string s_kafkaAssemblyName = string.Empty;

            public static void Install(string dependenciesPath, string coreAssemblyName, string kafkaAssemblyName)
            {
                s_context = new ModuleLoadContext(dependenciesPath);
                s_coreAssemblyName = coreAssemblyName;
                s_kafkaAssemblyName = kafkaAssemblyName;
                AssemblyLoadContext.Default.Resolving += ResolveCore;
                AddTypeAccelerators(s_context.LoadFromAssemblyName(new AssemblyName(coreAssemblyName)));
            }

            // PowerShell finds type names such as [AnomalyTools.Transaction] only in the default load context; type
            // accelerators named as the types keep them usable in scripts.
            private static void AddTypeAccelerators(Assembly core)
            {
                if (AssemblyLoadContext.GetLoadContext(core) == AssemblyLoadContext.Default) return;
                var add = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators")
                    ?.GetMethod("Add", BindingFlags.Public | BindingFlags.Static);
                if (add is null) return;
                foreach (var type in core.GetExportedTypes()) add.Invoke(null, new object[] { type.FullName!, type });
            }

            private static Assembly? ResolveCore(AssemblyLoadContext defaultContext, AssemblyName name) =>
                s_context != null && (string.Equals(name.Name, s_coreAssemblyName, StringComparison.OrdinalIgnoreCase) ||
                                      string.Equals(name.Name, s_kafkaAssemblyName, StringComparison.OrdinalIgnoreCase))
                    ? s_context.LoadFromAssemblyName(name)
                    : null;
        }

        /// <summary>
        /// Windows PowerShell 5.1 (.NET Framework, which has no load contexts): assemblies of the Dependencies folder are
        /// loaded by path when asked for; .NET Framework keeps different versions of a strong-named library apart.
        /// </summary>
        private static class FrameworkResolver
        {
            private static string s_dependenciesPath = string.Empty;

            public static void Install(string dependenciesPath)
            {
                s_dependenciesPath = dependenciesPath;
                AppDomain.CurrentDomain.AssemblyResolve += Resolve;
            }

            private static Assembly? Resolve(object? sender, ResolveEventArgs args)
            {
                var path = PathIn(s_dependenciesPath, new AssemblyName(args.Name));
                return path is null ? null : Assembly.LoadFrom(path);
            }
        }

        /// <summary>
        /// The module's own load context: an assembly shipped in Dependencies is loaded from there, unless the platform
        /// (the .NET runtime or PowerShell itself) provides it in the same or a higher version, as it does for the
        /// System.* polyfills that a netstandard2.0 build carries.
        /// </summary>
        private sealed class ModuleLoadContext : AssemblyLoadContext
        {
            private readonly string _dependenciesPath;
            private readonly Dictionary<string, string> _platformAssemblyPaths = ReadPlatformAssemblyPaths();

            public ModuleLoadContext(string dependenciesPath)
            {
                _dependenciesPath = dependenciesPath;
            }

            protected override Assembly? Load(AssemblyName assemblyName)
            {
                if (assemblyName.Name is null || IsProvidedByPlatform(assemblyName)) return null;
                var path = PathIn(_dependenciesPath, assemblyName);
                return path is null ? null : LoadFromAssemblyPath(path);
            }

            // Native libraries that an assembly of this context imports (librdkafka for Confluent.Kafka) come from
            // Dependencies/runtimes/<rid>/native/, laid out as NuGet packages have them; the process's own search path,
            // which knows nothing of the module's folder, is the fallback.
            protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
            {
                foreach (var rid in NativeRuntimeIdentifiers())
                {
                    var folder = System.IO.Path.Combine(_dependenciesPath, "runtimes", rid, "native");
                    foreach (var fileName in NativeFileNames(unmanagedDllName))
                    {
                        var path = System.IO.Path.Combine(folder, fileName);
                        if (File.Exists(path)) return LoadUnmanagedDllFromPath(path);
                    }
                }
                return IntPtr.Zero;
            }

            private static IEnumerable<string> NativeFileNames(string name)
            {
                yield return name;
                var extension = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? ".dll" : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? ".dylib" : ".so";
                if (!name.EndsWith(extension, StringComparison.OrdinalIgnoreCase)) yield return name + extension;
                if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && !name.StartsWith("lib", StringComparison.Ordinal)) yield return "lib" + name + extension;
            }

            // The most specific first: linux-musl-x64 before linux-x64 on Alpine.
            private static IEnumerable<string> NativeRuntimeIdentifiers()
            {
                var architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    yield return "win-" + architecture;
                }
                else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
                {
                    yield return "osx-" + architecture;
                }
                else
                {
                    if (IsMusl) yield return "linux-musl-" + architecture;
                    yield return "linux-" + architecture;
                }
            }

            private static bool IsMusl =>
                Directory.Exists("/lib") && Directory.GetFiles("/lib", "ld-musl-*.so.1").Length > 0;

            private bool IsProvidedByPlatform(AssemblyName name)
            {
                if (!_platformAssemblyPaths.TryGetValue(name.Name!, out var path)) return false;
                var platformVersion = AssemblyName.GetAssemblyName(path).Version ?? new Version();
                return platformVersion >= (name.Version ?? new Version());
            }

            private static Dictionary<string, string> ReadPlatformAssemblyPaths()
            {
                var paths = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
                var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var path in paths.Split(new[] { System.IO.Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
                {
                    var name = System.IO.Path.GetFileNameWithoutExtension(path);
                    if (!byName.ContainsKey(name)) byName[name] = path;
                }
                return byName;
            }
        }
    }
}
