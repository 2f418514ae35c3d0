#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '6.2.0' }
# The user's view of the module, run by CI on real pwsh (dotnet pwsh) with Pester 6.2.0 against the built module:
#   ./build.ps1 -Task Test   (or Invoke-Pester ./tests/Pester after ./build.ps1)

BeforeDiscovery {
    $script:cmdlets = @(
        @{ Name = 'Import-Transaction' }
        @{ Name = 'Select-SuspiciousTransaction' }
        @{ Name = 'Export-SuspiciousTransaction' }
    )
    $script:boundaries = @(
        @{ Amount = '7999.99'; Suspicious = $false }
        @{ Amount = '8000.00'; Suspicious = $false }
        @{ Amount = '8000.01'; Suspicious = $true }
    )
    $script:badRows = @(
        @{ Name = 'an empty amount'; Row = '1,C1,'; ErrorId = 'MissingRequiredValue' }
        @{ Name = 'an exponent'; Row = '1,C1,1e4'; ErrorId = 'InvalidAmount' }
        @{ Name = 'digit grouping'; Row = '1,C1,"1,000.00"'; ErrorId = 'InvalidAmount' }
        @{ Name = 'a missing field'; Row = '1,C1'; ErrorId = 'FieldCountMismatch' }
        @{ Name = 'a stray quote'; Row = '1,C"1,5'; ErrorId = 'MalformedCsv' }
        @{ Name = 'more digits than a decimal holds'; Row = '1,C1,12345678901234567890.123456789012'; ErrorId = 'InvalidAmount' }
    )
    $script:cultureAmounts = @(
        @{ Culture = 'de-DE'; Text = '9001.50'; Amount = $null }
        @{ Culture = 'de-DE'; Text = '8.5'; Amount = $null }
        @{ Culture = 'de-DE'; Text = '9.001,50'; Amount = '9001.50' }
        @{ Culture = 'en-IN'; Text = '12,34,567.89'; Amount = '1234567.89' }
        @{ Culture = 'en-IN'; Text = '1,234,567.89'; Amount = $null }
    )

    # The help examples that run on the bundled data: every relative path they name is under ./data or ./output.
    $discoveryRoot = Join-Path $PSScriptRoot '../..'
    $discoveryManifest = $env:ANOMALYTOOLS_MANIFEST
    if (-not $discoveryManifest) {
        $version = ([xml](Get-Content -Raw (Join-Path $discoveryRoot 'Directory.Build.props'))).Project.PropertyGroup.ModuleVersion | Where-Object { $_ } | Select-Object -First 1
        $discoveryManifest = Join-Path $discoveryRoot "out/AnomalyTools/$version/AnomalyTools.psd1"
    }
    Import-Module $discoveryManifest -Force
    $script:examples = foreach ($cmdlet in $script:cmdlets) {
        foreach ($example in (Get-Help $cmdlet.Name -Examples).examples.example) {
            $folders = [regex]::Matches($example.code, '\./([\w-]+)/') | ForEach-Object { $_.Groups[1].Value }
            if ($folders -contains 'data' -and -not ($folders | Where-Object { $_ -notin 'data', 'output' })) {
                @{ Name = $cmdlet.Name; Title = ($example.title -replace '^-+ | -+$'); Code = $example.code }
            }
        }
    }
}

BeforeAll {
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $manifest = $env:ANOMALYTOOLS_MANIFEST
    if (-not $manifest) {
        $version = ([xml](Get-Content -Raw (Join-Path $root 'Directory.Build.props'))).Project.PropertyGroup.ModuleVersion | Where-Object { $_ } | Select-Object -First 1
        $manifest = Join-Path $root "out/AnomalyTools/$version/AnomalyTools.psd1"
    }
    Import-Module $manifest -Force
    $data = (Resolve-Path (Join-Path $root 'data/data.csv')).ProviderPath
    $header = 'transaction_id,customer_id,amount'
}

AfterAll {
    Remove-Module AnomalyTools -ErrorAction SilentlyContinue
}

Describe 'The module' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $manifest -ErrorAction Stop } | Should -Not -Throw
    }

    It '<Name> declares its output type' -ForEach $cmdlets {
        (Get-Command $Name).OutputType.Name | Should -Contain 'AnomalyTools.Transaction'
    }

    It 'loads the build for the .NET that runs this session' {
        $expected = if ($PSEdition -eq 'Core' -and [Environment]::Version.Major -ge 8) { 'net8.0' } else { 'netstandard2.0' }
        $location = (Get-Command Import-Transaction).ImplementingType.Assembly.Location
        Split-Path -Leaf (Split-Path -Parent $location) | Should -Be $expected
    }

    It 'Import-Transaction has -LiteralPath with the PSPath and LP aliases' {
        (Get-Command Import-Transaction).Parameters['LiteralPath'].Aliases | Should -Be @('PSPath', 'LP')
    }
}

Describe 'The seed pipeline on the bundled data' {
    BeforeAll {
        $out = Join-Path $TestDrive 'output/suspicious_transactions'
        $passed = Import-Transaction $data -ErrorVariable importErrors -ErrorAction SilentlyContinue |
            Select-SuspiciousTransaction |
            Export-SuspiciousTransaction $out -PassThru
    }

    It 'writes exactly one committed part with the nine lines of the exercise' {
        (Get-ChildItem -LiteralPath $out -File -Force).Name | Should -Be 'part-0-00000'
        $bytes = [IO.File]::ReadAllBytes((Join-Path $out 'part-0-00000'))
        # One argument for Should: in command mode a bare `(...) + "`n"` is three arguments, and binding fails.
        $expected = (@(
                '1002, C012, 9582.15', '1005, C014, 9807.05', '1009, C015, 9269.96', '1011, C007, 9612.36', '1018, C005, 9559.71',
                '1031, C008, 8906.39', '1036, C012, 9622.80', '1041, C002, 9822.37', '1042, C015, 9597.18') -join "`n") + "`n"
        [Text.Encoding]::UTF8.GetString($bytes) | Should -BeExactly $expected
    }

    It 'passes on the flagged transactions with their findings' {
        $passed.TransactionId | Should -Be @('1002', '1005', '1009', '1011', '1018', '1031', '1036', '1041', '1042')
        $passed[0].Amount | Should -BeOfType [decimal]
        $passed[0].Findings[0].Message | Should -BeExactly 'amount 9582.15 exceeds the threshold 8000'
    }

    It 'reports the two rows with a missing required value' {
        $importErrors.FullyQualifiedErrorId -replace ',.*' | Should -Be @('MissingRequiredValue', 'MissingRequiredValue')
        $importErrors.TargetObject | Should -Be @("${data}:9", "${data}:25")
    }
}

Describe 'Import-Transaction' {
    It 'reads a[1].csv with -LiteralPath and from Get-ChildItem' {
        $file = Join-Path $TestDrive 'a[1].csv'
        Set-Content -LiteralPath $file -Value $header, '1,C1,5'
        (Import-Transaction -LiteralPath $file).TransactionId | Should -Be '1'
        (Get-ChildItem -LiteralPath $file | Import-Transaction).TransactionId | Should -Be '1'
    }

    It 'reads quoted fields with commas and line breaks, a BOM and CRLF' {
        $file = Join-Path $TestDrive 'quoted.csv'
        [IO.File]::WriteAllText($file, "transaction_id,customer_id,amount,merchant`r`n1,C1,9000.50,""Acme, Inc.`r`nEast""`r`n2,C2,1,Shop`r`n", [Text.UTF8Encoding]::new($true))
        $rows = Import-Transaction $file
        $rows[0].Attributes.merchant | Should -BeExactly "Acme, Inc.`r`nEast"
        $rows[1].LineNumber | Should -Be 4
    }

    It 'skips <Name> with the error id <ErrorId> and goes on' -ForEach $badRows {
        $file = Join-Path $TestDrive 'bad.csv'
        Set-Content -LiteralPath $file -Value $header, $Row, '2,C2,9000'
        $rows = Import-Transaction $file -ErrorVariable rowErrors -ErrorAction SilentlyContinue
        $rows.TransactionId | Should -Be '2'
        $rowErrors.FullyQualifiedErrorId -replace ',.*' | Should -Be $ErrorId
        $rowErrors[0].TargetObject | Should -Be "${file}:2"
    }

    It 'reads <Text> in <Culture> as <Amount>, or refuses it when a group separator is out of place' -ForEach $cultureAmounts {
        $file = Join-Path $TestDrive 'culture.csv'
        Set-Content -LiteralPath $file -Value 'transaction_id;customer_id;amount', "1;C1;$Text"
        $rows = Import-Transaction $file -Delimiter ';' -Culture $Culture -ErrorVariable rowErrors -ErrorAction SilentlyContinue
        if ($null -eq $Amount) {
            $rows | Should -BeNullOrEmpty
            $rowErrors.FullyQualifiedErrorId -replace ',.*' | Should -Be 'InvalidAmount'
        }
        else {
            $rows.Amount | Should -Be ([decimal]::Parse($Amount, [cultureinfo]::InvariantCulture))
        }
    }

    It 'reads the eight digits 20240301 as 1 March 2024, not as seconds in 1970' {
        $file = Join-Path $TestDrive 'basic-date.csv'
        Set-Content -LiteralPath $file -Value 'transaction_id,customer_id,amount,timestamp', '1,C1,5,20240301'
        (Import-Transaction $file).Timestamp | Should -Be ([DateTimeOffset]::new(2024, 3, 1, 0, 0, 0, [TimeSpan]::Zero))
    }

    It 'reports a missing file as PathNotFound and reads the others' {
        $good = Join-Path $TestDrive 'good.csv'
        Set-Content -LiteralPath $good -Value $header, '1,C1,5'
        $rows = Import-Transaction (Join-Path $TestDrive 'missing.csv'), $good -ErrorVariable pathErrors -ErrorAction SilentlyContinue
        $rows.TransactionId | Should -Be '1'
        $pathErrors.FullyQualifiedErrorId -replace ',.*' | Should -Be 'PathNotFound'
    }

    It 'emits arrays with -ReadCount, which the other cmdlets take as their elements' {
        $batches = @(Import-Transaction $data -ReadCount 10 -ErrorAction SilentlyContinue)
        $batches.Count | Should -Be 5
        $batches[0] | Should -HaveCount 10
        $batches[0].GetType().Name | Should -Be 'Transaction[]'
        $out = Join-Path $TestDrive 'readcount'
        Import-Transaction $data -ReadCount 7 -ErrorAction SilentlyContinue | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out
        (Get-Content -LiteralPath (Join-Path $out 'part-0-00000')) | Should -HaveCount 9
    }

    It 'stops on a -ColumnMap key that is not a field' {
        { Import-Transaction $data -ColumnMap @{ Price = 'amount' } -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidColumnMapKey*'
    }
}

Describe 'Select-SuspiciousTransaction' {
    It '<Amount> is suspicious: <Suspicious>' -ForEach $boundaries {
        $flagged = [pscustomobject]@{ transaction_id = '1'; customer_id = 'C1'; amount = $Amount } | Select-SuspiciousTransaction
        [bool]$flagged | Should -Be $Suspicious
    }

    It 'converts Import-Csv rows' {
        $file = Join-Path $TestDrive 'plain.csv'
        Set-Content -LiteralPath $file -Value $header, '1,C1,9000.50', '2,C2,10'
        $flagged = Import-Csv $file | Select-SuspiciousTransaction
        $flagged.TransactionId | Should -Be '1'
        $flagged.Amount | Should -Be 9000.50
    }
}

Describe 'Export-SuspiciousTransaction' {
    BeforeEach {
        $out = Join-Path $TestDrive ([guid]::NewGuid())
    }

    It 'continues numbering after the parts already there' {
        New-Item -ItemType Directory -Path $out | Out-Null
        Set-Content -LiteralPath (Join-Path $out 'part-0-00000') -Value 'earlier'
        Import-Transaction $data -ErrorAction SilentlyContinue | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out
        (Get-ChildItem -LiteralPath $out -File -Force).Name | Should -Be @('part-0-00000', 'part-0-00001')
        Get-Content -LiteralPath (Join-Path $out 'part-0-00000') | Should -Be 'earlier'
    }

    It 'writes nothing with -WhatIf' {
        Import-Transaction $data -ErrorAction SilentlyContinue | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -WhatIf
        Test-Path -LiteralPath $out | Should -BeFalse
    }

    It 'writes Csv with a header and neutralized formulas' {
        [pscustomobject]@{ transaction_id = '=1+1'; customer_id = 'C1'; amount = '9000' } | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -Format Csv
        $lines = Get-Content -LiteralPath (Join-Path $out 'part-0-00000')
        $lines[0] | Should -BeExactly 'TransactionId,CustomerId,Amount,Timestamp,Rules,Findings,Source,LineNumber'
        $lines[1] | Should -BeLike "'=1+1,C1,9000,*"
    }

    It 'writes Csv that Import-Csv reads when input columns are named like its own' {
        $forged = Join-Path $TestDrive 'forged.csv'
        Set-Content -LiteralPath $forged -Value 'id,customer_id,amount,TransactionId,Source,Rules,Findings,LineNumber', '1,C1,9000,FORGED,evil.csv,None,none,0'
        Import-Transaction $forged -ColumnMap @{ TransactionId = 'id' } | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -Format Csv
        $row = Import-Csv -LiteralPath (Join-Path $out 'part-0-00000')
        $row.TransactionId | Should -BeExactly '1'
        $row.TransactionId_2 | Should -BeExactly 'FORGED'
        $row.Source | Should -BeExactly $forged
        $row.Source_2 | Should -BeExactly 'evil.csv'
        $row.Rules | Should -BeExactly 'Threshold'
        $row.LineNumber | Should -BeExactly '2'
    }

    It 'quotes Csv fields that hold control characters and reads them back' {
        [pscustomobject]@{ transaction_id = "a`0b`e[2J`ac"; customer_id = 'C1'; amount = '9000' } | Export-SuspiciousTransaction $out -Format Csv
        (Get-Content -LiteralPath (Join-Path $out 'part-0-00000') -Raw).Contains("`"a`0b`e[2J`ac`",C1,9000,") | Should -BeTrue
        (Import-Transaction (Join-Path $out 'part-0-00000')).TransactionId | Should -BeExactly "a`0b`e[2J`ac"
    }

    It 'writes JsonLines that ConvertFrom-Json reads' {
        Import-Transaction $data -ErrorAction SilentlyContinue | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -Format JsonLines
        $records = Get-Content -LiteralPath (Join-Path $out 'part-0-00000') | ConvertFrom-Json
        $records.Count | Should -Be 9
        $records[0].findings[0].rule | Should -Be 'Threshold'
    }
}

Describe 'Quarantine and error budget' {
    BeforeEach {
        $in = Join-Path $TestDrive "$([guid]::NewGuid()).csv"
        $quarantine = Join-Path $TestDrive "$([guid]::NewGuid()).csv"
        Set-Content -LiteralPath $in -Value @(
            'transaction_id,customer_id,amount,merchant,merchant'
            '1,C1,10,a,b'
            '2,C2,lots,a,b'
            '3,C3,30,a,b'
            '4,C4,nope,a,b'
        )
    }

    It 'writes each bad row to the quarantine file and goes on' {
        $ids = (Import-Transaction $in -QuarantinePath $quarantine -ErrorAction SilentlyContinue -WarningAction SilentlyContinue).TransactionId
        $ids | Should -Be @('1', '3')
        $rows = Import-Csv -LiteralPath $quarantine
        $rows.error_id | Should -Be @('InvalidAmount', 'InvalidAmount')
        $rows.line | Should -Be @('3', '5')
        $rows.record | Should -Be @('2,C2,lots,a,b', '4,C4,nope,a,b')
    }

    It 'stops with ErrorBudgetExceeded beyond -MaxErrors' {
        { Import-Transaction $in -MaxErrors 1 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'ErrorBudgetExceeded*'
    }

    It 'skips a record over -MaxRecordSize and reads the rows after it' {
        $big = Join-Path $TestDrive "$([guid]::NewGuid()).csv"
        Set-Content -LiteralPath $big -Value @(
            'transaction_id,customer_id,amount,note'
            ('1,C1,10,' + ('x' * 2MB))
            '2,C2,20,short'
        )
        $ids = (Import-Transaction $big -ErrorVariable bad -ErrorAction SilentlyContinue).TransactionId
        $ids | Should -Be '2'
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'RecordTooLarge*'
        (Import-Transaction $big -MaxRecordSize 4MB).TransactionId | Should -Be @('1', '2')
    }

    It 'skips a file whose header is not valid CSV, and never reads a data row as its header' {
        $file = Join-Path $TestDrive "$([guid]::NewGuid()).csv"
        Set-Content -LiteralPath $file -Value @(
            'transaction_id,cust"omer_id,amount'
            'transaction_id,customer_id,amount'
            '1,C1,9000'
        )
        $ids = (Import-Transaction $file -ErrorVariable headerErrors -ErrorAction SilentlyContinue).TransactionId
        $ids | Should -BeNullOrEmpty
        $headerErrors.Count | Should -Be 1
        $headerErrors[0].FullyQualifiedErrorId | Should -BeLike 'MalformedCsv*'
        $headerErrors[0].TargetObject | Should -BeLike '*:1'
    }

    It 'renames a column named twice, with a warning' {
        $transaction = Import-Transaction $in -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue |
            Select-Object -First 1
        $transaction.Attributes['merchant_2'] | Should -Be 'b'
        $warnings.Count | Should -Be 1
    }
}

Describe 'Exactly once across restarts' {
    BeforeEach {
        $out = Join-Path $TestDrive ([guid]::NewGuid())
        $in = Join-Path $TestDrive "$([guid]::NewGuid()).csv"
        Set-Content -LiteralPath $in -Value @(
            'transaction_id,customer_id,amount,timestamp'
            '1,C1,9000,2024-03-01T07:10:00Z'
            '2,C2,10,2024-03-01T07:20:00Z'
            '3,C3,9100,2024-03-01T08:05:00Z'
        )
        $job = { Import-Transaction $in -ResumeFrom $out | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out }
    }

    It 'adds nothing when a finished batch runs again' {
        & $job
        & $job
        (Get-ChildItem -LiteralPath $out -File).Name | Should -Be 'part-0-00000'
        Get-Content -LiteralPath (Join-Path $out 'part-0-00000') | Should -Be @('1, C1, 9000', '3, C3, 9100')
    }

    It 'writes only the new suspicious rows after the input grew' {
        & $job
        Add-Content -LiteralPath $in -Value '4,C4,9400,2024-03-01T09:00:00Z'
        & $job
        Get-Content -LiteralPath (Join-Path $out 'part-0-00001') | Should -Be '4, C4, 9400'
    }

    It 'rolls back a part that a crash left in progress, with a warning' {
        & $job
        Add-Content -LiteralPath $in -Value '4,C4,9400,2024-03-01T09:00:00Z'
        Set-Content -LiteralPath (Join-Path $out '.part-0-00001.inprogress') -Value '4, C4, 94' -NoNewline
        Import-Transaction $in -ResumeFrom $out | Select-SuspiciousTransaction |
            Export-SuspiciousTransaction $out -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Count | Should -Be 1
        (Get-ChildItem -LiteralPath $out -File -Force).Name | Should -Be @('part-0-00000', 'part-0-00002')
        Get-Content -LiteralPath (Join-Path $out 'part-0-00002') | Should -Be '4, C4, 9400'
    }

    It 'writes hourly event-time buckets and a success marker' {
        Import-Transaction $in | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -BucketBy EventTime -SuccessMarker
        Get-Content -LiteralPath (Join-Path $out '2024-03-01--07/part-0-00000') | Should -Be '1, C1, 9000'
        Get-Content -LiteralPath (Join-Path $out '2024-03-01--08/part-0-00001') | Should -Be '3, C3, 9100'
        (Get-Item -LiteralPath (Join-Path $out '_SUCCESS')).Length | Should -Be 0
    }

    It 'stops with CheckpointDamaged rather than writing everything again' {
        & $job
        Set-Content -LiteralPath (Join-Path $out '_checkpoints/subtask-0') -Value 'damaged'
        { Import-Transaction $in -ResumeFrom $out } | Should -Throw -ErrorId 'CheckpointDamaged*'
    }

    It 'keeps a second export out of a folder that a live pipeline writes into' {
        $job = Start-ThreadJob -ArgumentList $in, $out, $manifest {
            param($in, $out, $manifest)
            Import-Module $manifest
            Import-Transaction $in -Wait -IdleTimeout 10 | Export-SuspiciousTransaction $out
        }
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(30)
            while (-not (Test-Path -LiteralPath (Join-Path $out '.part-0-00000.inprogress')) -and [datetime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 50
            }
            { Import-Transaction $in | Export-SuspiciousTransaction $out } | Should -Throw -ErrorId 'OutputInUse*'
        }
        finally {
            $job | Stop-Job -PassThru | Remove-Job
        }
    }

    It 'refuses a bucket format that is not one folder name' {
        { Import-Transaction $in | Export-SuspiciousTransaction $out -BucketBy ProcessingTime -BucketFormat 'yyyy/MM' } |
            Should -Throw -ErrorId 'InvalidBucketFormat*'
    }
}

Describe 'Real time' {
    BeforeEach {
        $feed = Join-Path $TestDrive "$([guid]::NewGuid()).csv"
        $out = Join-Path $TestDrive ([guid]::NewGuid())
        Set-Content -LiteralPath $feed -Value $header
    }

    It 'follows rows another thread appends, whole rows only, until -IdleTimeout' {
        # The writer starts appending only once the pipeline runs: a thread job can take seconds to start on a busy
        # machine, and the follower would have idled out before the first row.
        $waiting = [Threading.ManualResetEventSlim]::new()
        $go = [Threading.ManualResetEventSlim]::new()
        $writer = Start-ThreadJob -ArgumentList $feed, $waiting, $go {
            param($feed, $waiting, $go)
            $waiting.Set()
            $go.Wait()
            Start-Sleep -Milliseconds 300
            [IO.File]::AppendAllText($feed, "1,C1,90")
            Start-Sleep -Milliseconds 300
            [IO.File]::AppendAllText($feed, "00.50`n2,C2,10.00`n3,C3,8500.00`n")
        }
        $null = $waiting.Wait([TimeSpan]::FromMinutes(2))
        $alerts = Import-Transaction $feed -Wait -IdleTimeout 3 | ForEach-Object -Begin { $go.Set() } -Process { $_ } |
            Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -PassThru
        $writer | Wait-Job | Remove-Job

        $alerts.TransactionId | Should -Be @('1', '3')
        $alerts[0].Amount | Should -Be 9000.50
        Get-Content -LiteralPath (Join-Path $out 'part-0-00000') | Should -Be @('1, C1, 9000.50', '3, C3, 8500.00')
    }

    It 'commits a part on time while the pipeline still follows the file' {
        Add-Content -LiteralPath $feed -Value '1,C1,9000.00'
        $pipeline = Start-ThreadJob -ArgumentList $feed, $out, $manifest {
            param($feed, $out, $manifest)
            Import-Module $manifest
            Import-Transaction $feed -Wait -IdleTimeout 10 | Select-SuspiciousTransaction | Export-SuspiciousTransaction $out -RolloverInterval 0.5
        }
        $deadline = (Get-Date).AddSeconds(8)
        while (-not (Test-Path -LiteralPath (Join-Path $out 'part-0-00000')) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 50 }

        $pipeline.State | Should -Be 'Running'
        Get-Content -LiteralPath (Join-Path $out 'part-0-00000') | Should -Be '1, C1, 9000.00'
        $pipeline | Stop-Job -PassThru | Remove-Job
    }

    It 'warns that a last row without its line end was not imported' {
        [IO.File]::AppendAllText($feed, "1,C1,9000.00`n2,C2,90")
        $rows = Import-Transaction $feed -Wait -IdleTimeout 0.5 -WarningVariable warnings -WarningAction SilentlyContinue

        $rows.TransactionId | Should -Be '1'
        $warnings | Should -HaveCount 1
        $warnings[0].Message | Should -BeLike '*:3: the last record has no line end yet*'
    }

    It 'refuses -IdleTimeout without -Wait' {
        { Import-Transaction $feed -IdleTimeout 5 } | Should -Throw -ErrorId 'IdleTimeoutRequiresWait,AnomalyTools.Commands.ImportTransactionCommand'
    }

    It 'refuses an interval of <Value>' -ForEach @(@{ Value = 0 }, @{ Value = '-1' }, @{ Value = '00:00:00' }) {
        { Import-Transaction $feed -Wait -IdleTimeout $Value } | Should -Throw -ErrorId 'ParameterArgumentValidationError,AnomalyTools.Commands.ImportTransactionCommand'
    }
}

Describe 'Rules beyond the threshold' {
    BeforeAll {
        $feed = Join-Path $TestDrive 'rules.csv'
        $rows = @('transaction_id,customer_id,amount,timestamp')
        $amounts = 100, 110, 90, 105, 95, 100, 110, 90, 105, 95
        for ($i = 0; $i -lt $amounts.Count; $i++) { $rows += "$($i + 1),C1,$($amounts[$i]).00,2024-03-01T10:0$($i):00Z" }
        $rows += '11,C1,4200.00,2024-03-01T10:10:00Z', '12,C2,0.50,2024-03-01T10:10:10Z', '13,C2,900.00,2024-03-01T10:10:30Z'
        Set-Content -LiteralPath $feed -Value $rows
    }

    It 'flags <Id> with <Rule>' -ForEach @(
        @{ Id = '11'; Rule = 'Outlier' }
        @{ Id = '13'; Rule = 'SmallThenLarge' }
    ) {
        $flagged = Import-Transaction $feed | Select-SuspiciousTransaction -NoThreshold -Deviation 3 -SmallThenLarge | Where-Object TransactionId -eq $Id
        $flagged.Findings.Rule | Should -Be $Rule
    }

    It 'explains an outlier with the customer baseline' {
        $finding = (Import-Transaction $feed | Select-SuspiciousTransaction -NoThreshold -Deviation 3).Findings[0]
        $finding.Message | Should -BeExactly "amount 4200.00 is 550.1 standard deviations above customer C1's mean of 100.00 over 10 earlier transactions"
        $finding.Baseline.Count | Should -Be 10
    }

    It 'takes its settings from a rule file, the command line winning' {
        $rules = Join-Path $TestDrive 'rules.psd1'
        Set-Content -LiteralPath $rules -Value "@{ NoThreshold = `$true; Deviation = 3; SmallThenLarge = `$true }"
        (Import-Transaction $feed | Select-SuspiciousTransaction -RuleFile $rules).TransactionId | Should -Be @('11', '13')
        (Import-Transaction $feed | Select-SuspiciousTransaction -RuleFile $rules -Deviation 1000).TransactionId | Should -Be '13'
    }

    It 'refuses a switch written as text in a rule file, naming its line' {
        $rules = Join-Path $TestDrive 'text-switch.psd1'
        Set-Content -LiteralPath $rules -Value "@{`n    Deviation = 3`n    NoThreshold = 'false'`n}"
        { Import-Transaction $feed | Select-SuspiciousTransaction -RuleFile $rules } | Should -Throw -ErrorId 'InvalidRuleFile,AnomalyTools.Commands.SelectSuspiciousTransactionCommand'
        $problem = $null
        try { Import-Transaction $feed | Select-SuspiciousTransaction -RuleFile $rules } catch { $problem = $_ }
        $problem.TargetObject | Should -Be "$((Resolve-Path $rules).ProviderPath):3"
    }

    It 'refuses -NoThreshold alone' {
        { Import-Transaction $feed | Select-SuspiciousTransaction -NoThreshold } | Should -Throw -ErrorId 'NoRuleSelected,AnomalyTools.Commands.SelectSuspiciousTransactionCommand'
    }

    It 'reports a row without timestamp when a time rule is on' {
        $untimed = [pscustomobject]@{ transaction_id = '1'; customer_id = 'C1'; amount = '9000' }
        $flagged = $untimed | Select-SuspiciousTransaction -MaxPerWindow 5 -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'MissingTimestamp,*'
        $flagged.Findings.Rule | Should -Be 'Threshold'
    }
}

Describe 'Help' {
    It '<Name> has written help: synopsis, description, links' -ForEach $cmdlets {
        $help = Get-Help $Name -Full
        (Get-Command $Name).HelpFile | Split-Path -Leaf | Should -Be 'AnomalyTools.dll-Help.xml'
        $help.Synopsis | Should -Not -Match 'CommonParameters'
        ($help.description.Text -join ' ').Length | Should -BeGreaterThan 200
        $help.relatedLinks.navigationLink.linkText | Should -Contain 'about_AnomalyTools'
    }

    It '<Name> describes every parameter' -ForEach $cmdlets {
        $parameters = (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.Cmdlet]::CommonParameters }
        foreach ($parameter in $parameters) {
            ((Get-Help $Name -Parameter $parameter).description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }

    It '<Name> has at least three examples, each explained' -ForEach $cmdlets {
        $examples = (Get-Help $Name -Examples).examples.example
        $examples.Count | Should -BeGreaterOrEqual 3
        foreach ($example in $examples) {
            $example.code | Should -Match $Name
            ($example.remarks.Text -join ' ') | Should -Not -BeNullOrEmpty
        }
    }

    It '<Name>: <Title> runs on the bundled data' -ForEach $examples {
        $work = Join-Path $TestDrive ([guid]::NewGuid())
        New-Item -ItemType Directory -Path $work | Out-Null
        Copy-Item -Path (Join-Path $root 'data') -Destination $work -Recurse
        Push-Location $work
        try {
            # The bundled data's rows without a required value and its row without a timestamp are reported by design.
            $ErrorActionPreference = 'SilentlyContinue'
            $Error.Clear()
            $null = & ([scriptblock]::Create($Code))
            $unexpected = $Error | Where-Object { $_.FullyQualifiedErrorId -notmatch '^(MissingRequiredValue|MissingTimestamp),' }
            $unexpected | Should -BeNullOrEmpty
        }
        finally {
            Pop-Location
        }
    }

    It 'about_AnomalyTools explains the rules, the output lifecycle and the error ids' {
        $about = Get-Help about_AnomalyTools | Out-String
        $about | Should -Match 'SmallThenLarge'
        $about | Should -Match '\.inprogress'
        $about | Should -Match 'OutputNotWritable'
        $about | Should -Match 'ResumeFrom'
    }
}

Describe 'Views and completion' {
    BeforeAll {
        $csv = Join-Path $TestDrive 'views.csv'
        Set-Content -LiteralPath $csv -Value @(
            'transaction_id,customer_id,amount,timestamp,merchant'
            '1,C1,10.00,2024-03-01T10:00:00Z,Acme'
            '2,C1,12.00,2024-03-01T10:01:00Z,Acme'
            '3,C1,9000.50,2024-03-01T10:02:00Z,Acme'
        )
        $flagged = Import-Transaction $csv | Select-SuspiciousTransaction -Deviation 3 -MinHistory 2
    }

    It 'shows a table with the amount as written and the findings' {
        $table = $flagged | Format-Table | Out-String -Width 300
        $table | Should -Match 'TransactionId\s+CustomerId\s+Amount\s+Timestamp\s+Findings'
        $table | Should -Match '3\s+C1\s+9000\.50\s+2024-03-01 10:02:00Z\s+amount 9000\.50 exceeds the threshold 8000; amount 9000\.50 is'
    }

    It 'shows a list with every field and one line per finding' {
        $list = $flagged | Format-List | Out-String -Width 300
        $list | Should -Match 'Attributes\s+: merchant = Acme'
        $list | Should -Match 'Source\s+: .*views\.csv:4'
        $list | Should -Match 'Findings\s+: Threshold: amount 9000\.50 exceeds the threshold 8000\s+Outlier: amount 9000\.50'
    }

    It 'shows findings as a table of rule, value, limit and message' {
        $table = $flagged.Findings | Format-Table | Out-String -Width 300
        $table | Should -Match 'Rule\s+Value\s+Limit\s+Message'
        $table | Should -Match 'Threshold\s+9000\.50\s+8000\s+amount 9000\.50 exceeds'
    }

    It 'shows what a terminal would obey escaped, in the <Name>' -ForEach @(
        @{ Name = 'table view'; Render = { $args[0] | Format-Table | Out-String -Width 300 } }
        @{ Name = 'list view'; Render = { $args[0] | Format-List | Out-String -Width 300 } }
    ) {
        $hostile = [pscustomobject]@{ transaction_id = "`e[2J`e[HALL CLEAR`a"; customer_id = "C`u{202E}1"; amount = '9000' } |
            Select-SuspiciousTransaction
        # Plain text, so that every escape character left would be the data's, not the engine's header styles.
        $rendering = $PSStyle.OutputRendering
        try {
            $PSStyle.OutputRendering = 'PlainText'
            $text = & $Render $hostile
        }
        finally {
            $PSStyle.OutputRendering = $rendering
        }
        $text | Should -Not -Match '[\x00-\x08\x0B-\x0C\x0E-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]'
        $text | Should -Match ([regex]::Escape('\u001b[2J\u001b[HALL CLEAR\u0007'))
        $text | Should -Match ([regex]::Escape('C\u202e1'))
        $hostile.TransactionId | Should -BeExactly "`e[2J`e[HALL CLEAR`a"
    }

    It 'completes <Text> with <Expected>' -ForEach @(
        @{ Text = 'Export-SuspiciousTransaction ./out -Format J'; Expected = @('JsonLines') }
        @{ Text = 'Select-SuspiciousTransaction -Threshold 1'; Expected = @('10000', '15000') }
        @{ Text = 'Export-SuspiciousTransaction ./out -RolloverInterval 3'; Expected = @('30', '300', '3600') }
    ) {
        (TabExpansion2 -inputScript $Text -cursorColumn $Text.Length).CompletionMatches.CompletionText | Should -Be $Expected
    }
}

Describe 'The Gallery package' {
    BeforeAll {
        $moduleVersion = (Import-PowerShellDataFile -LiteralPath $manifest).ModuleVersion
        $package = Join-Path $root "out/AnomalyTools.$moduleVersion.nupkg"
    }

    It 'carries the Gallery tags' {
        $unpacked = Join-Path $TestDrive 'tags'
        # Expand-Archive takes only .zip names; a .nupkg is a zip all the same.
        [System.IO.Compression.ZipFile]::ExtractToDirectory($package, $unpacked)
        $tags = ([xml](Get-Content -Raw (Join-Path $unpacked 'AnomalyTools.nuspec'))).package.metadata.tags -split ' '
        $tags | Should -Contain 'PSModule'
        $tags | Should -Contain 'PSIncludes_Cmdlet'
        $tags | Should -Contain 'PSCmdlet_Import-Transaction'
        $tags | Should -Contain 'PSCommand_Export-SuspiciousTransaction'
        $tags | Should -Contain 'PSEdition_Desktop'
    }

    It 'installs into a fresh folder and runs the seed pipeline in a new session' {
        $modules = Join-Path $TestDrive 'Modules'
        $target = Join-Path $modules "AnomalyTools/$moduleVersion"
        [System.IO.Compression.ZipFile]::ExtractToDirectory($package, $target)
        $out = Join-Path $TestDrive 'package-output'
        $script = "Import-Module '$target/AnomalyTools.psd1'; (Get-Module AnomalyTools).ModuleBase; " +
            "Import-Transaction '$data' -ErrorAction SilentlyContinue | Select-SuspiciousTransaction | Export-SuspiciousTransaction '$out'"
        $moduleBase = & pwsh -NoProfile -NonInteractive -Command $script
        $moduleBase | Should -Be (Resolve-Path $target).ProviderPath
        (Get-Content -LiteralPath (Join-Path $out 'part-0-00000')).Count | Should -Be 9
    }
}

