import subprocess
import sys


def test_check_command_passes_every_row():
    out = subprocess.run([sys.executable, "-m", "derivations", "check"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "FAIL" not in out.stdout
