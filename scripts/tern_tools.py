"""What the comparison scripts share: running Tern's tools and their options."""
import subprocess
import sys


def add_tool_arguments(parser):
    """--ternc, --tern-run, --workdir, --target, --device, --gpu-plan and --ptxas."""
    parser.add_argument("--ternc", required=True)
    parser.add_argument("--tern-run", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--target", default="host", help="ternc --target (default host)")
    parser.add_argument("--device", default="host", help="tern-run --device (default host)")
    parser.add_argument("--gpu-plan", action="append", default=[], metavar="TARGET",
                        help="also compile each plan for this GPU target and check it with "
                             "gpu_plan_check.py (repeatable; needs --ptxas)")
    parser.add_argument("--ptxas", help="ptxas, for --gpu-plan")


def run_tool(script, name, cmd):
    """Runs `cmd` and returns its standard output; on failure prints its
    stderr and exits naming the tool."""
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        sys.exit(f"{script}: {name} failed (exit {result.returncode}): {' '.join(cmd)}")
    return result.stdout
