"""`make demo-complete`: `publist complete` on a copy of the seed, against the loopback test
server (tests/complete_server.py), twice: the second run is answered from the cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from complete_server import Server, all_papers  # noqa: E402


def main() -> int:
    seed = Path(sys.argv[1])
    overlay = seed.with_name(seed.name.rsplit(".", 1)[0] + ".meta.yaml")
    with Server(all_papers(), lifetime=300) as server:
        env = {**os.environ, **server.env(), "PUBLIST_CACHE_DIR": str(seed.parent / "cache")}
        command = [sys.executable, "-m", "publist.cli", "complete", str(seed)]
        first = subprocess.run(command + ["--dry-run", "-v"], env=env)
        second = subprocess.run(command, env=env)
        print(f"server: {server.count()} requests in all; the overlay is {overlay}")
    return first.returncode or second.returncode


if __name__ == "__main__":
    sys.exit(main())
