#!/usr/bin/env bash
# The audit step of the drguard GitHub Action (action.yml); tests/install/run.sh
# runs it too. Runs `drguard audit` with the action's inputs, writes the SARIF
# report, adds the Markdown report to the job summary and exits with drguard's
# own exit code: 0 pass, 1 failures at or above fail-on, 2 usage or input error,
# 3 incomplete.
#
# Every input comes from the environment, never from text pasted into a script:
#   DRGUARD         the drguard binary (default: drguard on PATH)
#   INPUT_CONFIG    --config FILE (empty: ./drguard.toml if present, else the defaults)
#   INPUT_SNAPSHOT  --snapshot FILE (empty: collect live from AWS, or with a
#                   plan, the plan's own prior state)
#   INPUT_PLAN      --plan FILE, the JSON of `terraform show -json` (empty: no plan)
#   INPUT_FAIL_ON_NEW  true: --fail-on-new (gate only on what the plan, or a
#                   --baseline in INPUT_ARGS, introduces); false or empty: not
#   INPUT_FAIL_ON   --fail-on SEVERITY (default high)
#   INPUT_SARIF     where the SARIF report goes (default drguard.sarif)
#   INPUT_SUMMARY   true: the Markdown report goes to $GITHUB_STEP_SUMMARY
#   INPUT_ARGS      further `drguard audit` arguments, split on whitespace
#                   (no shell quoting or expansion)
# Writes exit-code=N and sarif-written=true|false to $GITHUB_OUTPUT when set.
# Runs under bash 3.2 (macOS) as well.
set -uo pipefail

drguard="${DRGUARD:-drguard}"
fail_on="${INPUT_FAIL_ON:-high}"
sarif="${INPUT_SARIF:-drguard.sarif}"

cmd=("$drguard" audit --fail-on "$fail_on" --format human --format "sarif=$sarif")
if [ -n "${INPUT_CONFIG:-}" ]; then cmd+=(--config "$INPUT_CONFIG"); fi
if [ -n "${INPUT_SNAPSHOT:-}" ]; then cmd+=(--snapshot "$INPUT_SNAPSHOT"); fi
if [ -n "${INPUT_PLAN:-}" ]; then cmd+=(--plan "$INPUT_PLAN"); fi
case "${INPUT_FAIL_ON_NEW:-false}" in
    true) cmd+=(--fail-on-new) ;;
    false | "") ;;
    *)
        # A typo ("yes", "True") must not quietly turn the gate on everything
        # back on: a usage error, as drguard gives for its own flags.
        message="the fail-on-new input must be true or false, not '$INPUT_FAIL_ON_NEW'"
        if [ "${GITHUB_ACTIONS:-}" = true ]; then
            echo "::error title=drguard audit::$message"
        else
            echo "$message" >&2
        fi
        if [ -n "${GITHUB_OUTPUT:-}" ]; then
            printf 'exit-code=2\nsarif-written=false\n' >>"$GITHUB_OUTPUT"
        fi
        exit 2
        ;;
esac

summary=""
if [ "${INPUT_SUMMARY:-true}" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    summary="$(mktemp)"
    cmd+=(--format "markdown=$summary")
fi

extra=()
if [ -n "${INPUT_ARGS:-}" ]; then
    # -d '': read to the end, splitting on spaces, tabs and newlines; read's
    # status is 1 at the end of input, which is expected.
    read -r -d '' -a extra <<<"$INPUT_ARGS" || true
fi

# A stale report from an earlier run must not be uploaded as this run's.
rm -f "$sarif"

echo "+ ${cmd[*]} ${extra[*]+${extra[*]}}"
"${cmd[@]}" ${extra[@]+"${extra[@]}"}
code=$?

if [ -n "$summary" ]; then
    if [ -s "$summary" ]; then cat "$summary" >>"$GITHUB_STEP_SUMMARY"; fi
    rm -f "$summary"
fi

sarif_written=false
if [ -s "$sarif" ]; then sarif_written=true; fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
    {
        echo "exit-code=$code"
        echo "sarif-written=$sarif_written"
    } >>"$GITHUB_OUTPUT"
fi

case "$code" in
    0) meaning="" ;;
    1) meaning="failures at or above --fail-on $fail_on" ;;
    2) meaning="usage, config, rule, snapshot or plan error, or live collection could not start (endpoint, profile, credentials, access or region: see the message): nothing was audited" ;;
    3) meaning="incomplete: some rules could not be evaluated" ;;
    *) meaning="unexpected exit code" ;;
esac
if [ "$code" != 0 ]; then
    if [ "${GITHUB_ACTIONS:-}" = true ]; then
        echo "::error title=drguard audit::drguard exited $code ($meaning)"
    else
        echo "drguard exited $code ($meaning)" >&2
    fi
fi
exit "$code"
