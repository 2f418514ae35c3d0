# Loads the cmdlets built for the .NET that runs this PowerShell, as PSScriptAnalyzer does: the net8.0 build on
# PowerShell 7.4 and later (.NET 8 or newer), the netstandard2.0 build on Windows PowerShell 5.1 and older PowerShell 7.
# Join-Path is avoided: hosts with only the core cmdlets (PowerShell SDK applications) have no Microsoft.PowerShell.Management.
$framework = if ($PSEdition -eq 'Core' -and [System.Environment]::Version.Major -ge 8) { 'net8.0' } else { 'netstandard2.0' }
$cmdletsModule = Import-Module -Name ([System.IO.Path]::Combine($PSScriptRoot, $framework, 'AnomalyTools.dll')) -PassThru

$ExecutionContext.SessionState.Module.OnRemove = {
    Remove-Module -ModuleInfo $cmdletsModule
}.GetNewClosure()
