<#
.SYNOPSIS
    Runs the Pester suites in this folder against the built module, with the Pester module at -PesterManifest.

.DESCRIPTION
    Used by build.ps1 -Task Test and by CI, each in a new pwsh -NoProfile process. Writes the counts to -CountsPath as
    JSON ({"passed":N,"failed":N}) when asked, and exits with 1 when a test failed or none ran.
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [string] $CountsPath
)

$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest
$env:ANOMALYTOOLS_MANIFEST = $ModuleManifest
$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $configuration
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
if ($CountsPath) {
    @{ passed = $result.PassedCount; failed = $failed } | ConvertTo-Json -Compress | Set-Content -LiteralPath $CountsPath
}
# Every It must run: a skipped or never-run test is a failure of the suite, not a pass.
if ($result.SkippedCount -gt 0 -or $result.NotRunCount -gt 0) {
    Write-Error "$($result.SkippedCount) tests were skipped and $($result.NotRunCount) not run."
    exit 1
}
exit ([int]($failed -gt 0 -or $result.PassedCount -eq 0))
