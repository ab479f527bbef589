# Build the Windows one-folder bundle, check it works, and make the per-user installer:
#   powershell -ExecutionPolicy Bypass -File packaging\build_windows.ps1
# -> dist\arrs-desk\ and (with Inno Setup 6 installed) dist\ARRS-Desk-Setup-<version>.exe
# Uses the project's .venv (py -3 scripts\bootstrap.py setup makes it). Same steps as build_linux.sh.
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)
$Python = ".venv\Scripts\python.exe"
if (-not (Test-Path $Python)) {
    py -3 scripts\bootstrap.py setup
    if ($LASTEXITCODE -ne 0) { throw "bootstrap setup failed" }
}

Write-Host "[build] 1/4 PyInstaller into .venv (the 'package' extra)"
& $Python -m pip install --disable-pip-version-check -q -e ".[package]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

Write-Host "[build] 2/4 bundling (one folder, with the Windows version resource and icon)"
& $Python -m PyInstaller --noconfirm --clean --log-level WARN `
    --distpath dist --workpath build\pyinstaller packaging\arrs_desk.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

Write-Host "[build] 3/4 self-check of the bundle"
$env:QT_QPA_PLATFORM = "offscreen"
& dist\arrs-desk\arrs-desk.exe --self-check
$code = $LASTEXITCODE
Remove-Item Env:\QT_QPA_PLATFORM
if ($code -ne 0) { throw "the bundle's self-check failed" }

Write-Host "[build] 4/4 installer (Inno Setup)"
$Version = (& $Python -c "import arrs_desk; print(arrs_desk.__version__)").Trim()
$Iscc = @(
    (Get-Command iscc.exe -ErrorAction SilentlyContinue | ForEach-Object Source),
    "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe",
    "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
    "$env:ProgramFiles\Inno Setup 6\ISCC.exe"
) | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
if (-not $Iscc) {
    Write-Host "[build] Inno Setup 6 not found (winget install JRSoftware.InnoSetup); the bundle is in dist\arrs-desk"
    exit 0
}
& $Iscc "/DAppVersion=$Version" packaging\arrs-desk.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "[build] done: dist\ARRS-Desk-Setup-$Version.exe"
