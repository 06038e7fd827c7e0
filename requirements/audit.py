"""Known vulnerabilities in a hash-pinned lock file, with pip-audit; run by .ci/run.

    python requirements/audit.py requirements/ci.lock [--strict]

Exit 1 when a locked package has a known vulnerability, or when pip-audit itself fails for a
reason other than the network. When no vulnerability service can be reached (or it answers
for no package), that is NOT a pass: a warning is printed in capitals, and the exit is 0
unless --strict (then 1). pip-audit says "No known vulnerabilities found" even when it could
check nothing; this script counts what was really checked.

The services are tried in turn: PyPI's JSON API, then OSV. `PIP_AUDIT` names the pip-audit
program (default: the one beside this Python)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SERVICES = ("pypi", "osv")
NETWORK_TROUBLE = (
    "ConnectionError",
    "NameResolutionError",
    "Max retries exceeded",
    "Failed to resolve",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "timed out",
    "ReadTimeout",
    "ConnectTimeout",
    "SSLError",
    "ProxyError",
    "HTTPError",
    "ServiceError",
)


def pip_audit() -> str:
    return os.environ.get("PIP_AUDIT") or str(Path(sys.executable).with_name("pip-audit"))


def audit(lock: str, service: str) -> tuple[dict[str, object] | None, str]:
    """pip-audit's JSON report for one service (None when it wrote none) and its stderr."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "audit.json"
        done = subprocess.run(
            [
                pip_audit(),
                "--requirement",
                lock,
                "--require-hashes",
                "--disable-pip",
                "--vulnerability-service",
                service,
                "--progress-spinner",
                "off",
                "--format",
                "json",
                "--output",
                str(out),
            ],
            capture_output=True,
            text=True,
        )
        report = json.loads(out.read_text()) if out.exists() and out.stat().st_size else None
    if report is None and done.returncode == 0:
        return None, "pip-audit wrote no report"
    return report, done.stderr


def banner(lines: list[str]) -> None:
    width = max(len(line) for line in lines) + 4
    print("!" * width, file=sys.stderr)
    for line in lines:
        print(f"! {line.ljust(width - 4)} !", file=sys.stderr)
    print("!" * width, file=sys.stderr)


def main(argv: list[str]) -> int:
    strict = "--strict" in argv
    locks = [a for a in argv if not a.startswith("--")]
    if len(locks) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    lock = locks[0]
    seen: list[str] = []
    for service in SERVICES:
        report, stderr = audit(lock, service)
        if report is None:
            last = (stderr.strip().splitlines() or ["no output"])[-1]
            if not any(mark in stderr for mark in NETWORK_TROUBLE):
                print(f"pip-audit failed ({service}): {last}", file=sys.stderr)
                print(stderr, file=sys.stderr)
                return 1
            seen.append(f"{service}: unreachable ({last[:100]}…)")
            continue
        deps = report.get("dependencies")
        assert isinstance(deps, list), report
        vulnerable = [d for d in deps if d.get("vulns")]
        skipped = [d for d in deps if "skip_reason" in d]
        if vulnerable:
            print(f"pip-audit ({service}): KNOWN VULNERABILITIES in {lock}:", file=sys.stderr)
            for dep in vulnerable:
                for vuln in dep["vulns"]:
                    fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed release"
                    print(
                        f"  {dep['name']} {dep.get('version')}: {vuln.get('id')} "
                        f"({', '.join(vuln.get('aliases') or [])}) fixed in {fixed}",
                        file=sys.stderr,
                    )
            print("Upgrade with requirements/refresh --upgrade-package NAME.", file=sys.stderr)
            return 1
        if not skipped:
            print(f"pip-audit ({service}): {len(deps)} locked packages, no known vulnerabilities")
            return 0
        example = str(skipped[0].get("skip_reason"))
        seen.append(
            f"{service}: {len(skipped)} of {len(deps)} packages not checked (e.g. {example[:60]}…)"
        )
    banner(
        [
            "WARNING: pip-audit could NOT check the locked packages for known",
            "vulnerabilities: this is not a pass. No vulnerability service answered:",
            *seen,
            "Run `python requirements/audit.py requirements/ci.lock --strict` on a",
            "machine that reaches pypi.org's JSON API or api.osv.dev.",
        ]
    )
    return 1 if strict else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
