#!/usr/bin/env bash
# Build the Linux one-folder bundle and check it works:
#   packaging/build_linux.sh            -> dist/arrs-desk/ and dist/arrs-desk-<version>-linux-x86_64.tar.gz
# Uses the project's .venv (python3 scripts/bootstrap.py setup makes it). Same steps as build_windows.ps1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=.venv/bin/python
if [ ! -x "$PYTHON" ]; then
    python3 scripts/bootstrap.py setup
fi

echo "[build] 1/4 PyInstaller into .venv (the 'package' extra)"
"$PYTHON" -m pip install --disable-pip-version-check -q -e ".[package]"

echo "[build] 2/4 bundling (one folder)"
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/arrs_desk.spec

echo "[build] 3/4 self-check of the bundle"
QT_QPA_PLATFORM=offscreen dist/arrs-desk/arrs-desk --self-check

VERSION=$("$PYTHON" -c "import arrs_desk; print(arrs_desk.__version__)")
ARCHIVE="dist/arrs-desk-${VERSION}-linux-$(uname -m).tar.gz"
echo "[build] 4/4 archive with the .desktop file and icon"
cp packaging/arrs-desk.desktop packaging/arrs-desk.png dist/arrs-desk/
tar -czf "$ARCHIVE" -C dist arrs-desk
echo "[build] done: dist/arrs-desk ($(du -sh dist/arrs-desk | cut -f1)), $ARCHIVE ($(du -sh "$ARCHIVE" | cut -f1))"
