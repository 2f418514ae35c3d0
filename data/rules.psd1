# Sample rule settings for Select-SuspiciousTransaction -RuleFile: one hashtable keyed by its parameter names.
# The file is parsed, never run; parameters given on the command line win over it.
@{
    Threshold            = 8000
    Deviation            = 3
    MinHistory           = 5
    MaxPerWindow         = 5
    Window               = '00:01:00'
    SmallThenLarge       = $true
    SmallAmount          = 1.00
    LargeAmount          = 500.00
    SmallThenLargeWindow = 60
    AllowedLateness      = 30
}
