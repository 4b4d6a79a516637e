#!/usr/bin/env bash
# The README's test command ends here: type-check, build the CLI the tests spawn, run vitest,
# and close with the plain "N passed, N failed" line that CI reads (vitest's own summary is not read).
set -u
cd "$(dirname "$0")/.."
npx --no-install tsc --noEmit -p . || { echo "0 passed, 1 failed"; exit 1; }
npm run -s build || { echo "0 passed, 1 failed"; exit 1; }
rm -f vitest-report.json
npx --no-install vitest run --reporter=default --reporter=json --outputFile.json=vitest-report.json "$@"
rc=$?
if [ -f vitest-report.json ]; then
  node -e 'const r=JSON.parse(require("fs").readFileSync("vitest-report.json","utf8"));console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`+(r.numPendingTests?`, ${r.numPendingTests} skipped`:""))'
else
  echo "0 passed, 1 failed"
  rc=1
fi
exit $rc
