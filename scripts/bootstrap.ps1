# Windows wrapper for scripts\bootstrap.py: same subcommands and arguments.
#   powershell -ExecutionPolicy Bypass -File scripts\bootstrap.ps1 run
#   powershell -ExecutionPolicy Bypass -File scripts\bootstrap.ps1 test -k staff
# Needs Python 3.11 or newer from python.org (the "py" launcher) or on PATH.
$ErrorActionPreference = 'Stop'
$bootstrap = Join-Path $PSScriptRoot 'bootstrap.py'

# Prefer the py launcher; "python" may be the Microsoft Store stub, which only
# opens the Store, so check that it really runs.
$python = $null
if (Get-Command py -ErrorAction SilentlyContinue) {
    $python = @('py', '-3')
} elseif (Get-Command python -ErrorAction SilentlyContinue) {
    & python -c "import sys" 2>$null
    if ($LASTEXITCODE -eq 0) { $python = @('python') }
}
if (-not $python) {
    Write-Host 'Python 3.11 or newer is needed: install it from python.org (with the py launcher) and try again.'
    exit 1
}

$exe = $python[0]
$pre = @($python | Select-Object -Skip 1)
& $exe @pre $bootstrap @args
exit $LASTEXITCODE
