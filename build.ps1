#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests and cleans the AnomalyTools module.

.DESCRIPTION
    Wraps the dotnet commands that CI runs, so that pwsh users get the same module folder:
    out/AnomalyTools/<version>/, importable exactly as it is.

    Clean    removes out/ and every bin/ and obj/ folder.
    Build    builds the solution and checks the built manifest with Test-ModuleManifest. The build also writes the
             cmdlet help (en-US/AnomalyTools.dll-Help.xml) from the cmdlets' doc comments.
    Test     builds, runs the xunit suite (dotnet test), then the Pester suites in tests/Pester against out/, as CI
             does: in a new process of the repository's pwsh (dotnet tool restore; dotnet pwsh -NoProfile) with
             Pester 6.2.0 as the test project restored it from NuGet.
    Package  builds and packs the module folder into out/AnomalyTools.<version>.nupkg for the PowerShell Gallery
             (dotnet pack tools/ModuleBuilder, the same path CI builds).
    Publish  packs, then pushes that package to the PowerShell Gallery with the API key in the environment
             variable PSGALLERY_API_KEY. -WhatIf shows what it would push.

.EXAMPLE
    ./build.ps1
    Builds the module in Release.

.EXAMPLE
    ./build.ps1 -Task Test
    Builds, then runs the xunit and Pester suites.

.EXAMPLE
    $env:PSGALLERY_API_KEY = '<key>'; ./build.ps1 -Task Publish -WhatIf
    Packs the module and shows the package it would push to the PowerShell Gallery, without pushing it.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateSet('Clean', 'Build', 'Test', 'Package', 'Publish')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Where Publish pushes: the PowerShell Gallery unless another NuGet v2 feed is named.
    [string] $Repository = 'https://www.powershellgallery.com/api/v2/package'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = $PSScriptRoot
$solution = Join-Path $root 'AnomalyTools.sln'

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    $shown = for ($i = 0; $i -lt $Arguments.Count; $i++) {
        if ($i -gt 0 -and $Arguments[$i - 1] -eq '--api-key') { '***' } else { $Arguments[$i] }
    }
    Write-Host "dotnet $($shown -join ' ')" -ForegroundColor Cyan
    # To the host: the functions' output is what they return.
    & dotnet @Arguments | Out-Host
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

    # The pinned pwsh (.config/dotnet-tools.json) and the pinned Pester, which the test project restored from NuGet:
    # the same as CI, whatever pwsh and Pester this machine has.
    Invoke-Dotnet tool restore
    $pester = Get-MSBuildProperty 'PesterManifest'
    if (-not (Test-Path -LiteralPath $pester)) { throw "Pester was not restored to $pester." }
    # A new process, so that the suites import the module from out/ and no session state leaks in.
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $root 'tests/Pester/Invoke-PesterSuite.ps1') -PesterManifest $pester -ModuleManifest (Get-ModuleManifestPath)
    if ($LASTEXITCODE -ne 0) {
        throw "The Pester suites failed (exit code $LASTEXITCODE)."
    }
}

function Get-MSBuildProperty {
    param([string] $Name)
    $value = & dotnet msbuild (Join-Path $root 'tests/AnomalyTools.Tests/AnomalyTools.Tests.csproj') "-getProperty:$Name"
    if ($LASTEXITCODE -ne 0) { throw "dotnet msbuild could not read $Name." }
    "$value".Trim()
}

function Invoke-Package {
    Invoke-Dotnet pack (Join-Path $root 'tools/ModuleBuilder/AnomalyTools.ModuleBuilder.csproj') --configuration $Configuration
    $package = Get-PackagePath
    if (-not (Test-Path -LiteralPath $package)) { throw "dotnet pack did not write $package." }
    Write-Host "Packed $package" -ForegroundColor Green
    $package
}

function Get-PackagePath {
    Join-Path $root "out/AnomalyTools.$(Get-PackageVersion).nupkg"
}

# ModuleVersion, with the manifest's Prerelease label when it has one: the package version the nuspec carries.
function Get-PackageVersion {
    $manifest = Import-PowerShellDataFile -LiteralPath (Get-ModuleManifestPath)
    # An index, not a property: under strict mode a missing key read as a property is an error, and most manifests have none.
    $prerelease = $manifest.PrivateData.PSData['Prerelease']
    if ($prerelease) { "$($manifest.ModuleVersion)-$prerelease" } else { $manifest.ModuleVersion }
}

function Invoke-Publish {
    $package = Invoke-Package
    if (-not $PSCmdlet.ShouldProcess("$package -> $Repository", 'Push the module package')) { return }
    if (-not $env:PSGALLERY_API_KEY) {
        throw 'Publishing needs the Gallery API key in the environment variable PSGALLERY_API_KEY; it is never read from a file.'
    }
    Invoke-Dotnet nuget push $package --api-key $env:PSGALLERY_API_KEY --source $Repository
}

switch ($Task) {
    'Clean' { Invoke-Clean }
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Package' { Invoke-Package | Out-Null }
    'Publish' { Invoke-Publish }
}
