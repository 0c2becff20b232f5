"""Run the whole test suite of the project and print one combined result.

Called by ``make test`` (tools/test.sh) once the environment is ready. Steps:

1. lint: ruff (check and format) and pylint-odoo with the OCA mandatory checks;
2. the addon's own tests (crm_order_management/tests) with Odoo's runner, as OCA CI
   does: a freshly created database, ``-i crm_order_management --test-enable``;
3. the log of step 2 is checked for WARNING, ERROR and CRITICAL lines (like OCA's
   checklog-odoo);
4. the top-level tests/ with pytest-odoo against the database of step 2.

The last line printed is ``N passed, N failed`` over steps 2 and 4. The exit code is
non-zero when lint or the log check fails, when any test fails or is skipped, or when
no test ran at all.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from odoo_log import bad_lines

PROJECT_DIR = Path(os.environ["PROJECT_DIR"])
ODOO_SRC = Path(os.environ["ODOO_SRC"])
ODOO_CONF = Path(os.environ["ODOO_CONF"])
LOG_DIR = Path(os.environ["LOG_DIR"])
MODULE = "crm_order_management"
# The glue addons next to it (crm_order_management_account, ...): installed together,
# with the apps they depend on, on a database of their own, and their tests run there.
GLUE_MODULES = sorted(
    path.parent.name for path in PROJECT_DIR.glob(f"{MODULE}_*/__manifest__.py")
)
PYTHON = sys.executable
TOOLS = Path(PYTHON).parent

# "3 failed, 1 error(s) of 57 tests when loading database 'x'" (odoo/tests/result.py)
RESULT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")
# "... INFO db odoo.addons.x.tests.y: skipped TestX.test_y : reason" (OdooTestResult)
SKIPPED_RE = re.compile(r"^\S+ \S+ \d+ INFO \S+ \S+: skipped ", re.MULTILINE)
# What failed, printed again with the result.
PROBLEMS = []


def banner(text):
    print(f"\n=== {text}", flush=True)


def run(cmd, **kwargs):
    print("$ " + " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run(cmd, check=False, **kwargs)


def lint():
    banner("lint: ruff, OCA module checks and pylint-odoo (OCA mandatory checks)")
    targets = [
        p
        for p in (
            "crm_order_management",
            *GLUE_MODULES,
            "tests",
            "tools",
            "bench",
            "examples",
            "setup.py",
        )
        if (PROJECT_DIR / p).exists()
    ]
    results = [
        run([TOOLS / "ruff", "check", *targets], cwd=PROJECT_DIR).returncode,
        run(
            [TOOLS / "ruff", "format", "--check", *targets], cwd=PROJECT_DIR
        ).returncode,
        *(
            run([TOOLS / "oca-checks-odoo-module", module], cwd=PROJECT_DIR).returncode
            for module in (MODULE, *GLUE_MODULES)
        ),
        run(
            [TOOLS / "pylint", "--rcfile=.pylintrc-mandatory", MODULE, *GLUE_MODULES],
            cwd=PROJECT_DIR,
            env={**os.environ, "PYTHONPATH": str(ODOO_SRC)},
        ).returncode,
    ]
    ok = not any(results)
    if not ok:
        PROBLEMS.append("lint: FAILED (see its output above)")
    print("lint: " + ("clean" if ok else "FAILED"), flush=True)
    return ok


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def drop_database(name):
    run(
        [PYTHON, PROJECT_DIR / "tools" / "dropdb.py", ODOO_CONF, name],
        env={**os.environ, "PYTHONPATH": str(ODOO_SRC)},
    )


def odoo_tests(database, test_tags, modules=(MODULE,), log_name="odoo-tests.log"):
    banner(
        f"addon tests of {', '.join(modules)}: Odoo's runner on the new database "
        f"{database!r}"
    )
    drop_database(database)
    log = LOG_DIR / log_name
    log.unlink(missing_ok=True)
    started = time.time()
    proc = run(
        [
            PYTHON,
            ODOO_SRC / "odoo-bin",
            "-c",
            ODOO_CONF,
            "-d",
            database,
            "-i",
            ",".join(modules),
            "--test-enable",
            f"--test-tags={test_tags}",
            "--stop-after-init",
            "--log-level=test",
            "--max-cron-threads=0",
            f"--http-port={free_port()}",
            f"--logfile={log}",
        ],
        cwd=PROJECT_DIR,
    )
    text = log.read_text(errors="replace") if log.exists() else ""
    results = RESULT_RE.findall(text)
    if results:
        failed, errors, total = (int(x) for x in results[-1])
    else:
        failed, errors, total = 0, 0, 0
    bad = bad_lines(text) if log.exists() else ["(no log written)"]
    for line in bad:
        print("  " + line)
    skipped = len(SKIPPED_RE.findall(text))
    for line in SKIPPED_RE.finditer(text):
        print("  skipped: " + text[line.start() : text.index("\n", line.start())])
    passed = total - failed - errors - skipped
    print(
        f"addon tests: {passed} passed, {failed + errors} failed, {skipped} skipped "
        f"of {total} "
        f"in {time.time() - started:.0f} s (exit code {proc.returncode}; log {log})",
        flush=True,
    )
    if bad:
        print(f"log check: FAILED, {len(bad)} WARNING/ERROR line(s) in {log}")
    else:
        print("log check: clean")
    ok_run = proc.returncode == 0 and bool(results)
    if not ok_run or bad:
        PROBLEMS.extend(
            [f"{log.name}: {line}" for line in bad]
            or [f"{log.name}: exit code {proc.returncode}, no test result in the log"]
        )
    return passed, failed + errors, skipped, ok_run and not bad


def pytest_tests(database, pytest_args):
    banner(f"top-level tests/: pytest-odoo on the database {database!r}")
    junit = LOG_DIR / "pytest.xml"
    junit.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ODOO_SRC), "ODOO_TEST_DB": database}
    # pytest-odoo may read HOST, PORT, USER and PASSWORD as database settings; USER
    # comes from the OS and must not override the configuration file.
    for var in ("HOST", "PORT", "USER", "PASSWORD"):
        env.pop(var, None)
    # tests/, unless the arguments name files or folders in it (tests/...)
    named = [
        arg
        for arg in pytest_args
        if arg.startswith("tests/") and (PROJECT_DIR / arg.split("::")[0]).exists()
    ]
    proc = run(
        [
            PYTHON,
            "-m",
            "pytest",
            *([] if named else ["tests"]),
            f"--odoo-config={ODOO_CONF}",
            f"--odoo-database={database}",
            "--odoo-log-level=warn",
            f"--junitxml={junit}",
            "-p",
            "no:cacheprovider",
            "-rfEs",
            *pytest_args,
        ],
        cwd=PROJECT_DIR,
        env=env,
    )
    if not junit.exists():
        PROBLEMS.append(f"pytest: exit code {proc.returncode}, no {junit.name}")
        return 0, 0, 0, False
    suite = ET.parse(junit).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    total = int(suite.get("tests", 0))
    failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped = int(suite.get("skipped", 0))
    for case in suite.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            PROBLEMS.append(f"pytest: {case.get('classname')}::{case.get('name')}")
    if proc.returncode not in (0, 5) and not failed:
        PROBLEMS.append(f"pytest: exit code {proc.returncode}")
    return total - failed - skipped, failed, skipped, proc.returncode in (0, 5)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lint-only", action="store_true", help="run the linters only")
    parser.add_argument("--skip-lint", action="store_true")
    parser.add_argument("--skip-odoo", action="store_true", help="skip the addon tests")
    parser.add_argument("--skip-pytest", action="store_true", help="skip tests/")
    parser.add_argument(
        "--database", default=os.environ.get("ODOO_TEST_DB", "crm_order_test")
    )
    parser.add_argument(
        "--test-tags",
        default=f"/{MODULE}",
        help="Odoo test tags of the addon tests, e.g. /%s:TestCrmOrderWorkflow"
        % MODULE,
    )
    parser.add_argument("pytest_args", nargs="*", help="passed on to pytest (after --)")
    args = parser.parse_args()

    ok = True
    if not args.skip_lint:
        ok = lint() and ok
    if args.lint_only:
        return 0 if ok else 1

    totals = [0, 0, 0]
    # The addon alone (its tests), then the addon with its glue addons (theirs); test
    # tags naming a glue addon run on the second database only.
    runs = []
    glue_tags = ",".join(f"/{module}" for module in GLUE_MODULES)
    if args.test_tags == f"/{MODULE}":
        runs = [(args.database, args.test_tags, (MODULE,), "odoo-tests.log")]
        if GLUE_MODULES:
            runs.append((f"{args.database}_glue", glue_tags, None, None))
    elif any(module in args.test_tags for module in GLUE_MODULES):
        runs = [(f"{args.database}_glue", args.test_tags, None, None)]
    else:
        runs = [(args.database, args.test_tags, (MODULE,), "odoo-tests.log")]
    for database, test_tags, modules, log_name in runs if not args.skip_odoo else ():
        passed, failed, skipped, step_ok = odoo_tests(
            database,
            test_tags,
            modules=modules or (MODULE, *GLUE_MODULES),
            log_name=log_name or "odoo-tests-glue.log",
        )
        totals = [totals[0] + passed, totals[1] + failed, totals[2] + skipped]
        ok = ok and step_ok
    if not args.skip_pytest:
        passed, failed, skipped, step_ok = pytest_tests(args.database, args.pytest_args)
        totals = [totals[0] + passed, totals[1] + failed, totals[2] + skipped]
        ok = ok and step_ok

    passed, failed, skipped = totals
    banner("result")
    # The failures again at the end, where a CI excerpt (the output's tail) shows them.
    for line in PROBLEMS[:20]:
        print("  " + line[:300])
    if len(PROBLEMS) > 20:
        print(f"  ... and {len(PROBLEMS) - 20} more (see the logs above)")
    if skipped:
        print(f"{skipped} test(s) skipped: a skipped test does not count as passing.")
    if passed + failed == 0:
        print("No test ran.")
    ok = ok and failed == 0 and skipped == 0 and passed > 0
    print("OVERALL: " + ("OK" if ok else "FAILED"))
    line = f"{passed} passed, {failed} failed"
    print(line + (f", {skipped} skipped" if skipped else ""), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
