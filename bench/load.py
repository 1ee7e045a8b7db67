"""`make load`: the load test of issue 15, against the production recipe in deploy/.

Each set-up is started here and stopped afterwards, on 127.0.0.1 only, in temporary folders:
gunicorn with deploy/gunicorn.conf.py (after `decision-aid db upgrade`, as the systemd unit does),
a throwaway PostgreSQL (as scripts/test_postgres.sh makes one: Debian's package, a Unix socket in
a private folder, no TCP port) and Debian's nginx with deploy/nginx/ (its site's http part and
proxy snippet; plain HTTP on 127.0.0.1 instead of TLS).

Modes (MODES, default all of them, in this order):
  sqlite    N patients against one instance on SQLite
  postgres  the same on PostgreSQL
  scaleout  two instances behind nginx sharing one PostgreSQL
  bare      the bare-Flask baseline (bench/bare_app.py) with the same settings and client
  abuse     a visitor's page p95 while one patient loops 16 parallel PDF downloads, and while 50
            slow clients hold connections (through nginx, and straight to gunicorn); the cached
            PDF time; a worker's memory over 1,000 PDF requests; the security review's attacks
            (bench/load_attacks.py): replayed first saves, a lock-out, killed workers' orphans
Each patient run reports completed patients, errors by status, step p50/p95/p99 and PDF p95,
then checks that every completed patient's stored answers equal what was sent.

Every simulated patient comes from 127.0.0.1, so the runs raise the per-address limit on new
starts (RATE_LIMIT_START); the abuse mode keeps the real per-patient PDF limit, and also shows the
flood with it raised (the cache and render slots alone).

`--before DIR` runs the same client against an older checkout (`git archive REV | tar -x -C DIR`)
served as its README said (`gunicorn --workers 2 --max-requests 200 --max-requests-jitter 50`,
sync workers, migrations at start): the sqlite and postgres modes, and the abuse rows that apply
(the PDF flood and slow clients straight to gunicorn)."""

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import load_attacks  # noqa: E402
import load_client  # noqa: E402
from nginx_site import runnable_config  # noqa: E402
from persona import expected_answers  # noqa: E402

ALL_MODES = ("sqlite", "postgres", "scaleout", "bare", "abuse")
UNLIMITED = "1000000/60"
BEFORE = None  # an older checkout to measure instead (--before)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"a server exited at start (code {process.returncode})")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.2)
    raise SystemExit(f"nothing listened on port {port} within {seconds} s")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- PostgreSQL, as scripts/test_postgres.sh makes it --------------------------------------------


@contextlib.contextmanager
def postgres():
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
    if not bins or not (bins[-1] / "initdb").exists():
        raise SystemExit("PostgreSQL is missing: apt-get install postgresql (make test-postgres)")
    pg = bins[-1]
    folder = Path(tempfile.mkdtemp(prefix="decision-aid-load-pg."))
    as_db = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        as_db = ["runuser", "-u", "postgres", "--"]

    def run(*command):
        subprocess.run(
            as_db + [str(pg / command[0]), *command[1:]], check=True, stdout=subprocess.DEVNULL
        )

    run(
        "initdb",
        "-D",
        f"{folder}/data",
        "-U",
        "decision_aid",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    options = f"-c listen_addresses='' -k {folder} -c max_connections=200"
    run(
        "pg_ctl", "-D", f"{folder}/data", "-l", f"{folder}/server.log", "-w", "-o", options, "start"
    )
    try:
        run("createdb", "-h", str(folder), "-U", "decision_aid", "decision_aid_load")
        yield f"postgresql+psycopg://decision_aid@/decision_aid_load?host={folder}"
    finally:
        subprocess.run(
            as_db + [str(pg / "pg_ctl"), "-D", f"{folder}/data", "-m", "fast", "-w", "stop"],
            stdout=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)


# --- the app under gunicorn, and nginx -----------------------------------------------------------


def app_environment(folder, database_url, secret, **extra):
    # PDF_RENDER_AHEAD=0 passes through: the run without the render ahead, to compare (issue 26);
    # so does PDF_CONCURRENCY, to measure what the host-wide slot limit does (issue 29).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PDF_", "RATE_LIMIT_")) or k in ("PDF_RENDER_AHEAD", "PDF_CONCURRENCY")
    }
    env.update(
        INSTANCE_PATH=str(folder),
        DATABASE_URL=database_url,
        SECRET_KEY=secret,
        DB_UPGRADE="0",
        RATE_LIMIT_START=UNLIMITED,
        RATE_LIMIT_SEND=UNLIMITED,
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


@contextlib.contextmanager
def gunicorn(folder, database_url, secret, app="decision_aid:create_app()", **extra):
    """One instance with deploy/gunicorn.conf.py. Yields (port, master process)."""
    port = free_port()
    env = app_environment(folder, database_url, secret, GUNICORN_BIND=f"127.0.0.1:{port}", **extra)
    command = [BIN / "gunicorn", "--config", ROOT / "deploy" / "gunicorn.conf.py", app]
    if BEFORE:
        env.update(PYTHONPATH=str(BEFORE), DB_UPGRADE="1")
        command = [
            BIN / "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--max-requests",
            "200",
            "--max-requests-jitter",
            "50",
            app,
        ]
    elif app.startswith("decision_aid"):
        subprocess.run(
            [BIN / "decision-aid", "db", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL
        )
    else:
        env["PYTHONPATH"] = str(ROOT / "bench")
    log = open(Path(folder) / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    try:
        wait_for_port(port, process)
        yield port, process
    finally:
        stop(process)
        log.close()


def nginx_config(folder, upstream_ports, port):
    """deploy/nginx/ as it runs in production (bench/nginx_site.py: the same function as the HTTPS
    test's), but on plain HTTP on 127.0.0.1, for this module's client. The access log is
    `access.log` in the folder."""
    return runnable_config(folder, upstream_ports, port)


@contextlib.contextmanager
def nginx(folder, upstream_ports):
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise SystemExit("nginx is missing: apt-get install nginx-light (make load installs it)")
    port = free_port()
    config = Path(folder) / "nginx.conf"
    config.write_text(nginx_config(folder, upstream_ports, port))
    process = subprocess.Popen(
        [binary, "-c", str(config), "-p", str(folder)], stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port(port, process)
        yield port
    finally:
        stop(process)


# --- measuring -----------------------------------------------------------------------------------


def stored_answers(database_url, references):
    from sqlalchemy import create_engine, select

    from decision_aid.store import responses

    engine = create_engine(database_url)
    found = {}
    with engine.connect() as conn:
        for start in range(0, len(references), 500):
            chunk = references[start : start + 500]
            query = select(responses.c.reference, responses.c.answers)
            for row in conn.execute(query.where(responses.c.reference.in_(chunk))):
                found[row.reference] = row.answers
    engine.dispose()
    return found


def own(expected, name):
    """The answers one patient should have stored: with their own name where the walk stores a
    name (the name is asked only when sharing since issue 13, so the walk may store none)."""
    return dict(expected, name=name) if "name" in expected else expected


def answers_check(database_url, stats, expected):
    references = [ref for _name, ref in stats.completed if ref]
    stored = stored_answers(database_url, references)
    matched = sum(
        1 for name, ref in stats.completed if ref and stored.get(ref) == own(expected, name)
    )
    return matched, len(stats.completed)


# Why the app turned a PDF request away (decision_aid.pdf.slots logs one line for each 503).
TURNED_AWAY = {
    "every render slot stayed taken": "no slot",
    "this worker has PDF_REQUESTS_PER_WORKER PDF requests under way": "worker full",
    "this patient has PER_PATIENT PDF requests under way": "patient's own",
    "the same PDF stayed in render": "same PDF",
}


def turned_away(*folders):
    """{short reason: count} from the gunicorn logs in `folders`."""
    counts = dict.fromkeys(TURNED_AWAY.values(), 0)
    for folder in folders:
        for line in (Path(folder) / "gunicorn.log").read_text(errors="replace").splitlines():
            why = line.partition("turned away (503): ")[2]
            if why in TURNED_AWAY:
                counts[TURNED_AWAY[why]] += 1
    return {k: v for k, v in counts.items() if v}


def patient_row(label, stats, seconds, check=None, why=None):
    step, pdf = stats.summary("step"), stats.summary("pdf")
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(stats.errors.items(), key=str)) or "0"
    if why:
        errors += " (" + ", ".join(f"{k} {v}" for k, v in why.items()) + ")"
    return {
        "set-up": label,
        "seconds": seconds,
        "completed": len(stats.completed),
        "errors": errors,
        "step p50": step["p50"],
        "step p95": step["p95"],
        "step p99": step["p99"],
        "requests": step["count"],
        "pdf p95": pdf["p95"],
        "pdfs": pdf["count"],
        "pdf cache hits": (
            f"{stats.pdf_cache['hit']} of {sum(stats.pdf_cache.values())}"
            if stats.pdf_cache
            else "-"
        ),
        "answers match": f"{check[0]} of {check[1]}" if check else "-",
    }


def worker_pids(master):
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def table(rows):
    if not rows:
        return ""
    keys = list(rows[0])
    cell = lambda v: f"{v:.0f}" if isinstance(v, float) else str(v)  # noqa: E731
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(cell(row[k]) for k in keys) + " |" for row in rows]
    return "\n".join(lines)


# --- the modes -----------------------------------------------------------------------------------


def run_patients(base, args, forms=None):
    kwargs = {"forms": forms, "pdf_every": 0} if forms else {}
    return asyncio.run(
        load_client.patients(
            base, args.patients, args.seconds, (args.think_min, args.think_max), **kwargs
        )
    )


def mode_single(label, database_url, args, expected, results, secret):
    with tempfile.TemporaryDirectory() as folder, gunicorn(folder, database_url, secret) as server:
        stats = run_patients(f"http://127.0.0.1:{server[0]}", args)
        why = turned_away(folder)
    check = answers_check(database_url, stats, expected)
    results["patients"].append(patient_row(label, stats, args.seconds, check, why))
    return stats


def mode_scaleout(database_url, args, expected, results, secret):
    with (
        tempfile.TemporaryDirectory() as one,
        tempfile.TemporaryDirectory() as two,
        tempfile.TemporaryDirectory() as front,
        gunicorn(one, database_url, secret) as (port_one, _),
        gunicorn(two, database_url, secret) as (port_two, _),
        nginx(front, [port_one, port_two]) as port,
    ):
        stats = run_patients(f"http://127.0.0.1:{port}", args)
        logged = (Path(front) / "access.log").read_text()
        why = turned_away(one, two)
    check = answers_check(database_url, stats, expected)
    results["patients"].append(
        patient_row("2 instances + nginx, PostgreSQL", stats, args.seconds, check, why)
    )
    results["nginx log lines"] = len(logged.splitlines())
    results["nginx log has a resume path"] = "/resume/" in logged


def mode_bare(args, results, secret):
    with (
        tempfile.TemporaryDirectory() as folder,
        gunicorn(folder, "sqlite://", secret, app="bare_app:app") as (port, _),
    ):
        stats = run_patients(f"http://127.0.0.1:{port}", args, forms=load_client.bare_form)
    results["patients"].append(patient_row("bare Flask, same gunicorn", stats, args.seconds))


def visitor_during(base, seconds, other):
    """The visitor's Stats while `other` (a coroutine) runs."""

    async def both():
        visitor, other_result = await asyncio.gather(load_client.visitor(base, seconds), other)
        return visitor, other_result

    return asyncio.run(both())


def abuse_row(label, visitor, note):
    summary = visitor.summary("visitor")
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(visitor.errors.items(), key=str)) or "0"
    return {
        "while": label,
        "visitor pages": summary["count"],
        "visitor p50": summary["p50"],
        "visitor p95": summary["p95"],
        "visitor errors": errors,
        "other side": note,
    }


def mode_abuse_before(database_url, args, results, secret):
    seconds, rows = args.abuse_seconds, results["abuse"]
    with tempfile.TemporaryDirectory() as folder, gunicorn(folder, database_url, secret) as server:
        base = f"http://127.0.0.1:{server[0]}"
        quiet = asyncio.run(load_client.visitor(base, seconds / 2))
        rows.append(abuse_row("nothing else", quiet, "-"))
        visitor, flood = visitor_during(base, seconds, load_client.pdf_flood(base, seconds))
        rows.append(abuse_row("16 parallel PDF downloads", visitor, _statuses(flood, "flood")))
        visitor, still_open = visitor_during(
            base, seconds, load_client.slow_clients(base, seconds, 50)
        )
        rows.append(
            abuse_row("50 slow clients, straight to gunicorn", visitor, f"{still_open} of 50 open")
        )


def mode_abuse(database_url, args, results, secret):
    if BEFORE:
        return mode_abuse_before(database_url, args, results, secret)
    seconds = args.abuse_seconds
    rows = results["abuse"]
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as edge:
        with gunicorn(folder, database_url, secret) as (port, _), nginx(edge, [port]) as front:
            base, proxied = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{front}"
            quiet = asyncio.run(load_client.visitor(base, seconds / 2))
            rows.append(abuse_row("nothing else", quiet, "-"))
            visitor, flood = visitor_during(base, seconds, load_client.pdf_flood(base, seconds))
            rows.append(
                abuse_row(
                    "16 parallel PDF downloads (PDF limit 30/hour)",
                    visitor,
                    _statuses(flood, "flood"),
                )
            )
            for url, way in ((proxied, "through nginx"), (base, "straight to gunicorn")):
                visitor, still_open = visitor_during(
                    url, seconds, load_client.slow_clients(url, seconds, 50)
                )
                rows.append(
                    abuse_row(
                        f"50 slow clients, {way}",
                        visitor,
                        f"{still_open} of 50 still open at the end",
                    )
                )
    with tempfile.TemporaryDirectory() as folder:
        no_limit = {
            "RATE_LIMIT_PDF": UNLIMITED,
            "RATE_LIMIT_PDF_ADDRESS": UNLIMITED,
            "PDF_WAIT_SECONDS": 30,
        }
        with gunicorn(folder, database_url, secret, **no_limit) as (port, master):
            base = f"http://127.0.0.1:{port}"
            visitor, flood = visitor_during(base, seconds, load_client.pdf_flood(base, seconds))
            rows.append(
                abuse_row(
                    "16 parallel PDF downloads (no PDF limit: cache and slots)",
                    visitor,
                    _statuses(flood, "flood"),
                )
            )
            cached = asyncio.run(load_client.cached_pdf_times(base))
            results["pdf first ms"] = cached.summary("pdf first")["p50"]
            results["pdf cached ms p50"] = cached.summary("pdf cached")["p50"]
            results["pdf cached ms p95"] = cached.summary("pdf cached")["p95"]
            workers = worker_pids(master.pid)
            asyncio.run(load_client.pdf_requests(base, 20, 5))  # warm: every worker has rendered
            before = {pid: rss_mib(pid) for pid in workers}
            memory = asyncio.run(
                load_client.pdf_requests(base, args.pdf_requests, args.pdf_per_patient)
            )
            after = {pid: rss_mib(pid) for pid in workers}
            results["memory"] = {
                "pdf requests": memory.summary("pdf")["count"],
                "renders": args.pdf_requests // args.pdf_per_patient,
                "pdf p95 ms": memory.summary("pdf")["p95"],
                "worker MiB before": [round(before[p], 1) for p in workers],
                "worker MiB after": [round(after[p], 1) for p in workers],
                "largest growth MiB": round(max(after[p] - before[p] for p in workers), 1),
            }


def mode_attacks(database_url, results, secret):
    """The security review's attacks (bench/load_attacks.py), each with what it left behind."""
    rows = results["attacks"]
    with tempfile.TemporaryDirectory() as folder:
        with gunicorn(folder, database_url, secret, TRUSTED_PROXIES=1) as (port, master):
            sent, statuses, extra = load_attacks.replayed_first_save(port, database_url)
            rows.append(
                {
                    "attack": f"M1: the first save replayed {sent} times with the old cookie",
                    "responses": _counted(statuses),
                    "left behind": f"{extra} extra records",
                }
            )
            sent, statuses, locked = load_attacks.lock_out(port, database_url)
            rows.append(
                {
                    "attack": f"M3: {sent} wrong passwords for one account from {sent} addresses",
                    "responses": _counted(statuses),
                    "left behind": f"{int(locked)} locked accounts (the right password, "
                    "from a new address, " + ("refused)" if locked else "got in)"),
                }
            )
            kills, orphans = load_attacks.orphans_after_kills(master.pid)
            rows.append(
                {
                    "attack": f"M5: a worker killed with SIGKILL, {kills} times",
                    "responses": "-",
                    "left behind": f"{orphans} orphaned render processes",
                }
            )


def _counted(statuses):
    return ", ".join(f"{s}: {statuses.count(s)}" for s in sorted(set(statuses)))


def _statuses(stats, kind):
    counts = {status: n for (k, status), n in stats.statuses.items() if k == kind}
    counts.update({name: n for name, n in stats.errors.items()})
    listed = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=str))
    return f"{sum(counts.values())} requests: {listed}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", default=os.environ.get("MODES", ",".join(ALL_MODES)))
    parser.add_argument("--patients", type=int, default=int(os.environ.get("PATIENTS", "50")))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOAD_SECONDS", "150")))
    parser.add_argument("--think-min", type=float, default=1.0)
    parser.add_argument("--think-max", type=float, default=3.0)
    parser.add_argument("--abuse-seconds", type=int, default=40)
    parser.add_argument("--pdf-requests", type=int, default=1000)
    parser.add_argument("--pdf-per-patient", type=int, default=10)
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--before", type=Path, help="measure this older checkout instead")
    args = parser.parse_args(argv)
    global BEFORE
    BEFORE = args.before.resolve() if args.before else None
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = set(modes) - set(ALL_MODES)
    if unknown:
        raise SystemExit(f"unknown modes: {', '.join(sorted(unknown))}")
    args.patients = min(args.patients, 500)
    args.seconds = min(args.seconds, load_client.MAX_SECONDS)

    results = {"patients": [], "abuse": [], "attacks": []}
    results["settings"] = vars(args) | {"modes": modes}
    print(
        f"load: {args.patients} patients, {args.seconds} s a run, modes {', '.join(modes)}",
        flush=True,
    )
    run_modes(modes, args, expected_answers(), results, secrets.token_hex(32))
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 0


def run_modes(modes, args, expected, results, secret):
    for mode in modes:
        started = time.monotonic()
        if mode == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                url = f"sqlite:///{folder}/load.sqlite3"
                mode_single("1 instance, SQLite", url, args, expected, results, secret)
        elif mode == "postgres":
            with postgres() as url:
                mode_single("1 instance, PostgreSQL", url, args, expected, results, secret)
        elif mode == "scaleout" and not BEFORE:
            with postgres() as url:
                mode_scaleout(url, args, expected, results, secret)
        elif mode == "bare" and not BEFORE:
            mode_bare(args, results, secret)
        elif mode == "abuse":
            with tempfile.TemporaryDirectory() as folder:
                mode_abuse(f"sqlite:///{folder}/abuse.sqlite3", args, results, secret)
            if not BEFORE:
                with tempfile.TemporaryDirectory() as folder:
                    mode_attacks(f"sqlite:///{folder}/attacks.sqlite3", results, secret)
        print(f"  {mode}: done in {time.monotonic() - started:.0f} s", flush=True)


def report(results):
    print("\n" + table(results["patients"]))
    if results["abuse"]:
        print("\n" + table(results["abuse"]))
    if results["attacks"]:
        print("\n" + table(results["attacks"]))
    for key in (
        "pdf first ms",
        "pdf cached ms p50",
        "pdf cached ms p95",
        "memory",
        "nginx log lines",
        "nginx log has a resume path",
    ):
        if key in results:
            print(f"{key}: {results[key]}")
    ours = next((r for r in results["patients"] if "SQLite" in r["set-up"]), None)
    bare = next((r for r in results["patients"] if "bare" in r["set-up"]), None)
    if ours and bare:
        results["bare ratio p50"] = ours["step p50"] / bare["step p50"]
        results["bare ratio p95"] = ours["step p95"] / bare["step p95"]
        print(
            f"bare-Flask ratio (SQLite step / bare step): p50 {results['bare ratio p50']:.1f}, "
            f"p95 {results['bare ratio p95']:.1f}"
        )


if __name__ == "__main__":
    sys.exit(main())
