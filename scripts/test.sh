#!/usr/bin/env bash
# Set up and run the whole test suite: system packages, one debug build, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test --skip-build
