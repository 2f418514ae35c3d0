#
# Module manifest for AnomalyTools.
# ModuleVersion is stamped at build from Directory.Build.props, the one place the version lives.
#
@{
    RootModule           = 'AnomalyTools.psm1'
    ModuleVersion        = '0.0.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '5b0f4c1e-8d3a-4f6e-9a47-2c1d7e9b3a10'
    Author               = 'AnomalyTools contributors'
    CompanyName          = 'AnomalyTools'
    Copyright            = '(c) AnomalyTools contributors. MIT License.'
    Description          = 'Find suspicious financial transactions in CSV files and live transaction feeds: streaming import with exact decimal amounts, explainable rules, and durable part-file output in the manner of Flink''s FileSink.'
    PowerShellVersion    = '5.1'
    FormatsToProcess     = @('AnomalyTools.Format.ps1xml')
    CmdletsToExport      = @('Import-Transaction', 'Select-SuspiciousTransaction', 'Export-SuspiciousTransaction')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Fraud', 'AnomalyDetection', 'Transactions', 'CSV', 'Streaming', 'Finance', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://github.com/anomalytools/AnomalyTools/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/anomalytools/AnomalyTools'
            ReleaseNotes = 'First release: Import-Transaction, Select-SuspiciousTransaction and Export-SuspiciousTransaction.'
        }
    }
}
