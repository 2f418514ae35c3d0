#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests and cleans the AnomalyTools module.

.DESCRIPTION
    Wraps the dotnet commands that CI runs, so that pwsh users get the same module folder:
    out/AnomalyTools/<version>/, importable exactly as it is.

    Clean  removes out/ and every bin/ and obj/ folder.
    Build  builds the solution and checks the built manifest with Test-ModuleManifest.
    Test   builds, runs the xunit suite (dotnet test), then, when Pester 5 is installed, the Pester suites
           in tests/Pester in a new pwsh -NoProfile process against out/.

.EXAMPLE
    ./build.ps1
    Builds the module in Release.

.EXAMPLE
    ./build.ps1 -Task Test
    Builds, then runs the xunit and Pester suites.
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Build', 'Test')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = $PSScriptRoot
$solution = Join-Path $root 'AnomalyTools.sln'

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    Write-Host "dotnet $($Arguments -join ' ')" -ForegroundColor Cyan
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE."
    }
}

function Get-ModuleVersion {
    $props = [xml](Get-Content -Raw -LiteralPath (Join-Path $root 'Directory.Build.props'))
    $version = $props.Project.PropertyGroup | ForEach-Object { $_.ModuleVersion } | Where-Object { $_ } | Select-Object -First 1
    if (-not $version) { throw 'Directory.Build.props has no ModuleVersion.' }
    $version
}

function Get-ModuleManifestPath {
    Join-Path $root "out/AnomalyTools/$(Get-ModuleVersion)/AnomalyTools.psd1"
}

function Invoke-Clean {
    $targets = @(Join-Path $root 'out') + @(Get-ChildItem -Path $root -Directory -Recurse -Include 'bin', 'obj' |
        Where-Object { $_.FullName -notmatch '[\\/]\.git[\\/]' } | ForEach-Object FullName)
    foreach ($target in $targets) {
        if (Test-Path -LiteralPath $target) {
            Remove-Item -LiteralPath $target -Recurse -Force
            Write-Host "Removed $target"
        }
    }
}

function Invoke-Build {
    Invoke-Dotnet build $solution --configuration $Configuration
    $manifest = Get-ModuleManifestPath
    $module = Test-ModuleManifest -Path $manifest
    Write-Host "Built $($module.Name) $($module.Version) in $(Split-Path $manifest)" -ForegroundColor Green
}

function Invoke-Test {
    Invoke-Build
    Invoke-Dotnet test $solution --configuration $Configuration --no-build

    $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version.Major -ge 5 } | Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester 5 is not installed (Install-Module Pester -MinimumVersion 5.0): the Pester suites were not run.'
        return
    }
    # A new process, so that the suites import the module from out/ and no session state leaks in.
    $runPester = {
        param($Manifest, $Tests)
        $ErrorActionPreference = 'Stop'
        Import-Module Pester -MinimumVersion 5.0
        $env:ANOMALYTOOLS_MANIFEST = $Manifest
        $configuration = New-PesterConfiguration
        $configuration.Run.Path = $Tests
        $configuration.Run.Exit = $true
        $configuration.Output.Verbosity = 'Detailed'
        Invoke-Pester -Configuration $configuration
    }
    & pwsh -NoProfile -NonInteractive -Command $runPester -args (Get-ModuleManifestPath), (Join-Path $root 'tests/Pester')
    if ($LASTEXITCODE -ne 0) {
        throw "The Pester suites failed (exit code $LASTEXITCODE)."
    }
}

switch ($Task) {
    'Clean' { Invoke-Clean }
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
}
