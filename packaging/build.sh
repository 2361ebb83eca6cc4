#!/usr/bin/env bash
# Build the one-folder app with PyInstaller, then smoke-test the frozen executables.
#
#   packaging/build.sh              # -> dist/desktop-album/ (keeps onnxruntime-gpu's CUDA libs)
#   packaging/build.sh --cpu-only   # leaves out the CUDA/TensorRT provider libraries (~285 MB)
#   packaging/build.sh --no-smoke   # build only
#
# Run it with the project's environment active (python -m pip install -e ".[test]"), or name the
# interpreter: PYTHON=.venv/bin/python packaging/build.sh. DIST and WORK move the output folders;
# SMOKE_ARGS is passed on to packaging/smoke_test.py (e.g. SMOKE_ARGS="--pack /other/pack").
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python}
DIST=${DIST:-dist}
WORK=${WORK:-build}
PYINSTALLER_PIN="pyinstaller==6.22.3"  # keep equal to the `build` extra in pyproject.toml
SMOKE=1
for arg in "$@"; do
  case "$arg" in
    --cpu-only) export DESKTOP_ALBUM_CPU_ONLY=1 ;;
    --no-smoke) SMOKE=0 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

start=$(date +%s)
"$PYTHON" -m pip install --quiet "$PYINSTALLER_PIN"
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" build.spec
built=$(date +%s)
echo "Built $DIST/desktop-album in $((built - start)) s: $(du -sh "$DIST/desktop-album" | cut -f1)"

if [ "$SMOKE" = 1 ]; then
  # shellcheck disable=SC2086  # SMOKE_ARGS is meant to split into words
  "$PYTHON" packaging/smoke_test.py --dist "$DIST/desktop-album" ${SMOKE_ARGS:-}
  echo "Smoke test passed in $(($(date +%s) - built)) s"
fi
