# shellcheck shell=bash
# Shared by the job scripts: run one rsrender job step, forward the
# scheduler's stop signal to it, and resubmit the job when the step stopped
# early with a checkpoint (exit 75). Sourced, not run; the sourcing script
# sets SUBMIT_DIR and defines `resubmit SCENE OUTPUT [flags...]`.
#
#   run_step LAUNCHER... -- SCENE OUTPUT [rsrender flags...]
#   RSRENDER            the binary (default: target/release/rsrender under RSRENDER_HOME)
#   RSRENDER_RESUBMIT=0 stops after one job instead of resubmitting

readonly EXIT_INTERRUPTED=75

run_step() {
    local launcher=()
    while [[ $# -gt 0 && $1 != -- ]]; do launcher+=("$1"); shift; done
    shift
    local scene=${1:?scene file missing} output=${2:?output file missing}
    shift 2
    local rsrender=${RSRENDER:-$RSRENDER_HOME/target/release/rsrender}
    local resume=()
    # A checkpoint from an earlier job of this render: carry on from it.
    [[ -f "$output.ckpt" ]] && resume=(--resume)

    "${launcher[@]}" "$rsrender" "$scene" -o "$output" "${resume[@]}" "$@" &
    local step=$!
    # The batch shell gets the pre-kill signal; the step must see it. srun and
    # mpirun both forward SIGUSR1 to every rank.
    trap 'kill -USR1 "$step" 2>/dev/null' USR1 TERM INT
    local status=0
    wait "$step" || status=$?
    # `wait` returns early when a trapped signal arrives: wait for the step.
    while kill -0 "$step" 2>/dev/null; do
        status=0
        wait "$step" || status=$?
    done
    trap - USR1 TERM INT

    # rank 0 exits 75 after writing the checkpoint, but not every launcher
    # passes that code on (MPICH's hydra may report 0): a step that did not
    # fail and left a checkpoint was interrupted. (A crash, non-zero, is
    # never resubmitted, so a persistent failure cannot loop.)
    if [[ $status -eq 0 && -f "$output.ckpt" ]]; then
        status=$EXIT_INTERRUPTED
    fi
    if [[ $status -eq $EXIT_INTERRUPTED && ${RSRENDER_RESUBMIT:-1} != 0 ]]; then
        echo "rsrender job: stopped with a checkpoint; resubmitting to finish it"
        resubmit "$scene" "$output" "$@"
    fi
    return "$status"
}
