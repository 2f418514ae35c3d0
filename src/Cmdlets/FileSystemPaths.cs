using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace AnomalyTools.Commands
{
    /// <summary>Resolves the file-system paths a cmdlet is given, writing an error for each one that cannot be used.</summary>
    internal static class FileSystemPaths
    {
        private const string FileSystemProviderName = "FileSystem";

        /// <summary>
        /// The files that <paramref name="path"/> names: wildcards expanded unless <paramref name="literal"/>. Each path
        /// that cannot be used is an error, except a wildcard that matches nothing yet when <paramref name="waiting"/>.
        /// </summary>
        public static IEnumerable<string> ResolveInputFiles(PSCmdlet cmdlet, string path, bool literal, bool waiting = false)
        {
            var report = waiting && !literal && WildcardPattern.ContainsWildcardCharacters(path)
                ? error => { if (error.FullyQualifiedErrorId != "PathNotFound") cmdlet.WriteError(error); }
                : new Action<ErrorRecord>(cmdlet.WriteError);
            return Resolve(cmdlet, path, literal, report);
        }

        /// <summary>The files that the wildcard <paramref name="pattern"/> matches now; no errors, as it is asked again and again.</summary>
        public static IEnumerable<string> MatchFiles(PSCmdlet cmdlet, string pattern) => Resolve(cmdlet, pattern, literal: false, report: _ => { });

        private static List<string> Resolve(PSCmdlet cmdlet, string path, bool literal, Action<ErrorRecord> report)
        {
            var resolved = new List<string>();
            ProviderInfo provider;
            try
            {
                if (literal)
                {
                    resolved.Add(cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _));
                }
                else
                {
                    resolved.AddRange(cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider));
                }
            }
            catch (ItemNotFoundException exception)
            {
                report(ErrorRecords.Create("PathNotFound", ErrorCategory.ObjectNotFound, path, exception, path));
                return resolved;
            }
            catch (System.Management.Automation.DriveNotFoundException exception)
            {
                report(ErrorRecords.Create("PathNotFound", ErrorCategory.ObjectNotFound, path, exception, path));
                return resolved;
            }

            if (provider.Name != FileSystemProviderName)
            {
                report(ErrorRecords.Create("NotFileSystemPath", ErrorCategory.InvalidArgument, path, null, path, provider.Name));
                resolved.Clear();
                return resolved;
            }
            if (resolved.Count == 0)
            {
                report(ErrorRecords.Create("PathNotFound", ErrorCategory.ObjectNotFound, path, null, path));
                return resolved;
            }

            var files = new List<string>(resolved.Count);
            foreach (var file in resolved)
            {
                if (Directory.Exists(file))
                {
                    report(ErrorRecords.Create("PathIsDirectory", ErrorCategory.InvalidArgument, file, null, file));
                }
                else if (!File.Exists(file))
                {
                    report(ErrorRecords.Create("PathNotFound", ErrorCategory.ObjectNotFound, file, null, file));
                }
                else
                {
                    files.Add(file);
                }
            }
            return files;
        }

        /// <summary>The output directory that <paramref name="path"/> names, taken literally; it may not exist yet.</summary>
        public static string ResolveOutputDirectory(PSCmdlet cmdlet, string path)
        {
            var directory = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
            if (provider.Name != FileSystemProviderName)
            {
                cmdlet.ThrowTerminatingError(ErrorRecords.Create("NotFileSystemPath", ErrorCategory.InvalidArgument, path, null, path, provider.Name));
            }
            return directory;
        }
    }
}
