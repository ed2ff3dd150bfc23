"""What the comparison scripts share: running Tern's tools and their options."""
import subprocess
import sys


def add_tool_arguments(parser):
    """--ternc, --tern-run, --workdir, --target and --device."""
    parser.add_argument("--ternc", required=True)
    parser.add_argument("--tern-run", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--target", default="host", help="ternc --target (default host)")
    parser.add_argument("--device", default="host", help="tern-run --device (default host)")


def run_tool(script, name, cmd):
    """Runs `cmd`; on failure prints its stderr and exits naming the tool."""
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        sys.exit(f"{script}: {name} failed (exit {result.returncode}): {' '.join(cmd)}")
