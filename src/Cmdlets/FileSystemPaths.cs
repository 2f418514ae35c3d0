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
        /// that cannot be used is an error; a path that matches nothing is one unless <paramref name="noMatchIsError"/>
        /// is false (a wildcard followed for files still to come). A path that <paramref name="skip"/> holds true for
        /// is left out without an error (it reports why itself).
        /// </summary>
        public static IEnumerable<string> ResolveInputFiles(PSCmdlet cmdlet, string path, bool literal, bool noMatchIsError = true, Func<string, bool>? skip = null) =>
            Resolve(cmdlet, path, literal, cmdlet.WriteError, noMatchIsError, skip);

        /// <summary>The files that the wildcard <paramref name="pattern"/> matches now; no errors, as it is asked again and again.</summary>
        public static IEnumerable<string> MatchFiles(PSCmdlet cmdlet, string pattern, Func<string, bool>? skip = null) =>
            Resolve(cmdlet, pattern, literal: false, report: _ => { }, noMatchIsError: false, skip);

        private static List<string> Resolve(PSCmdlet cmdlet, string path, bool literal, Action<ErrorRecord> report, bool noMatchIsError, Func<string, bool>? skip)
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
                if (noMatchIsError) report(ErrorRecords.Create("PathNotFound", ErrorCategory.ObjectNotFound, path, exception, path));
                return resolved;
            }
            catch (System.Management.Automation.DriveNotFoundException exception)
            {
                if (noMatchIsError) report(ErrorRecords.Create("PathNotFound", ErrorCategory.ObjectNotFound, path, exception, path));
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
                if (noMatchIsError) report(ErrorRecords.Create("PathNotFound", ErrorCategory.ObjectNotFound, path, null, path));
                return resolved;
            }

            var files = new List<string>(resolved.Count);
            foreach (var file in resolved)
            {
                if (skip != null && skip(file)) continue;
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

        /// <summary>The output file or directory that <paramref name="path"/> names, taken literally; it may not exist yet.</summary>
        public static string ResolveOutputPath(PSCmdlet cmdlet, string path)
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
