"""The asyncio load client of `make load` (aiohttp): simulated patients walking the whole path
with think time, and the abuse patterns of issue 15. It only ever talks to 127.0.0.1, and every
run is bounded in patients, connections and time."""

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp
from persona import CHOICES_NEXT, CSRF, REFERENCE, form_for

MAX_PATIENTS = 2000
MAX_SECONDS = 1200


def check_local(base):
    parts = urlsplit(base)
    if parts.scheme != "http" or parts.hostname != "127.0.0.1":
        raise SystemExit(f"the load test only targets http://127.0.0.1, not {base}")
    return base.rstrip("/")


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass
class Stats:
    times: dict = field(default_factory=dict)  # kind -> [milliseconds]
    statuses: Counter = field(default_factory=Counter)  # (kind, status) -> count
    errors: Counter = field(default_factory=Counter)  # status or exception -> count
    completed: list = field(default_factory=list)  # (name, reference)
    started: int = 0
    pdf_cache: Counter = field(default_factory=Counter)  # X-PDF-Cache: hit or miss -> count

    def add(self, kind, status, started):
        self.times.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
        self.statuses[kind, status] += 1

    def summary(self, kind):
        values = self.times.get(kind, [])
        return {
            "count": len(values),
            "p50": percentile(values, 0.50),
            "p95": percentile(values, 0.95),
            "p99": percentile(values, 0.99),
        }


class Failed(Exception):
    pass


async def request(session, stats, kind, method, url, expect, **kwargs):
    started = time.perf_counter()
    async with session.request(method, url, allow_redirects=False, **kwargs) as reply:
        body = await reply.text(errors="replace")
    stats.add(kind, reply.status, started)
    if reply.status not in expect:
        stats.errors[reply.status] += 1
        raise Failed(f"{method} {url}: {reply.status}")
    return reply, body


def csrf(body):
    match = CSRF.search(body)
    if not match:
        raise Failed("no CSRF token on the page")
    return match[1]


async def think(low, high):
    await asyncio.sleep(random.uniform(low, high))


def bare_form(_step_id, name):
    """For the bare-Flask baseline (bench/bare_app.py), whose pages take any answer."""
    return {"answer": name}


async def walk(session, base, name, stats, think_time, pdf=False, forms=form_for):
    """One patient, from the start page to the summary (and the PDF). Returns the reference."""
    _reply, body = await request(session, stats, "step", "GET", f"{base}/", {200})
    await think(*think_time)
    reply, _ = await request(
        session, stats, "step", "POST", f"{base}/start", {302}, data={"csrf_token": csrf(body)}
    )
    location = reply.headers["Location"]
    while location.startswith(("/step/", "/choices")):
        _reply, body = await request(session, stats, "step", "GET", base + location, {200})
        if location.startswith("/choices"):  # the choices side by side: read, then go on
            await think(*think_time)
            location = CHOICES_NEXT.search(body)[1]
            continue
        step_id = location.split("/")[2].split("?")[0]
        form = forms(step_id, name)
        if form is None:
            raise Failed(f"no answers for {step_id}")
        await think(*think_time)
        data = aiohttp.FormData()
        for key, value in {**form, "csrf_token": csrf(body)}.items():
            for item in value if isinstance(value, list) else [value]:
                data.add_field(key, item)
        reply, _ = await request(session, stats, "step", "POST", base + location, {302}, data=data)
        location = reply.headers["Location"]
    if location != "/check":
        raise Failed(f"the path ended at {location}")
    _reply, body = await request(session, stats, "step", "GET", f"{base}/check", {200})
    await think(*think_time)
    await request(
        session, stats, "step", "POST", f"{base}/check", {302}, data={"csrf_token": csrf(body)}
    )
    _reply, body = await request(session, stats, "page", "GET", f"{base}/summary", {200})
    reference = REFERENCE.search(body)
    if pdf:
        await think(*think_time)
        reply, _ = await request(session, stats, "pdf", "GET", f"{base}/summary.pdf", {200})
        # Made ahead when the summary was reached (issue 26), or rendered now.
        stats.pdf_cache[reply.headers.get("X-PDF-Cache", "unknown")] += 1
    return "".join(reference.groups()) if reference else None


def new_session(connector):
    return aiohttp.ClientSession(
        connector=connector,
        connector_owner=False,
        cookie_jar=aiohttp.CookieJar(unsafe=True),  # 127.0.0.1 is an address, not a name
        timeout=aiohttp.ClientTimeout(total=120),
    )


async def patients(
    base, users, seconds, think_time=(1.0, 3.0), pdf_every=5, limit=MAX_PATIENTS, forms=form_for
):
    """`users` simulated patients at once, each starting a new patient when one is done, for
    `seconds` (a patient under way then is let finish, up to 2 minutes). Returns Stats."""
    base = check_local(base)
    seconds = min(seconds, MAX_SECONDS)
    stats = Stats()
    deadline = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=users + 20)

    async def user(number):
        await asyncio.sleep(random.uniform(0, min(think_time[1], seconds)))  # staggered arrival
        while time.monotonic() < deadline and stats.started < limit:
            stats.started += 1
            number = stats.started  # read now: other patients start while this one waits
            name = f"Load Patient {number:05d}"
            async with new_session(connector) as session:
                try:
                    pdf = pdf_every > 0 and number % pdf_every == 0
                    reference = await walk(session, base, name, stats, think_time, pdf, forms)
                    stats.completed.append((name, reference))
                except Failed:
                    pass
                except (TimeoutError, aiohttp.ClientError) as error:
                    stats.errors[type(error).__name__] += 1

    tasks = [asyncio.create_task(user(n)) for n in range(users)]
    await asyncio.wait(tasks, timeout=seconds + 120)
    for task in tasks:
        task.cancel()
    await connector.close()
    return stats


# --- abuse --------------------------------------------------------------------------------------


async def finished_patient(session, base, name="Abuse Patient"):
    stats = Stats()
    await walk(session, base, name, stats, (0, 0))
    return stats


async def pdf_flood(base, seconds, parallel=16):
    """One patient downloading their PDF `parallel` times at once, again and again. Returns the
    statuses it got."""
    base = check_local(base)
    deadline = time.monotonic() + seconds
    stats = Stats()
    async with aiohttp.TCPConnector(limit=parallel) as connector, new_session(connector) as s:
        await finished_patient(s, base)

        async def loop():
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    async with s.get(f"{base}/summary.pdf", allow_redirects=False) as reply:
                        await reply.read()
                    stats.add("flood", reply.status, started)
                except (TimeoutError, aiohttp.ClientError) as error:
                    stats.errors[type(error).__name__] += 1

        await asyncio.gather(*(loop() for _ in range(parallel)))
    return stats


async def visitor(base, seconds, pause=0.2):
    """A normal visitor reading pages (the start page and a step page) while something else goes
    on. Returns Stats with kind "visitor"."""
    base = check_local(base)
    deadline = time.monotonic() + seconds
    stats = Stats()
    async with aiohttp.TCPConnector(limit=2) as connector, new_session(connector) as session:
        _reply, body = await request(session, stats, "setup", "GET", f"{base}/", {200})
        await request(
            session, stats, "setup", "POST", f"{base}/start", {302}, data={"csrf_token": csrf(body)}
        )
        while time.monotonic() < deadline:
            for path in ("/", "/step/twitching"):
                try:
                    await request(session, stats, "visitor", "GET", base + path, {200})
                except Failed:
                    pass
                except (TimeoutError, aiohttp.ClientError) as error:
                    stats.errors[type(error).__name__] += 1
                await asyncio.sleep(pause)
    return stats


async def slow_clients(base, seconds, count=50, every=5.0):
    """`count` connections that send a request header line every `every` seconds and never end
    the request (slowloris). Returns how many were still open at the end."""
    parts = urlsplit(check_local(base))
    deadline = time.monotonic() + seconds
    writers = []
    for _ in range(min(count, 500)):
        try:
            _reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        except OSError:
            continue
        writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        writers.append(writer)
    while time.monotonic() < deadline:
        await asyncio.sleep(min(every, max(0.0, deadline - time.monotonic())))
        for writer in writers:
            if not writer.is_closing():
                writer.write(b"X-Slow: 1\r\n")
                try:
                    await writer.drain()
                except OSError:
                    writer.close()
    still_open = sum(1 for writer in writers if not writer.is_closing())
    for writer in writers:
        writer.close()
    return still_open


async def cached_pdf_times(base, repeats=10):
    """A finished patient's PDF: the first download (a render) and `repeats` more of the same
    answers (from the cache). Returns Stats with kinds "pdf first" and "pdf cached"."""
    base = check_local(base)
    stats = Stats()
    async with aiohttp.TCPConnector(limit=1) as connector, new_session(connector) as session:
        await finished_patient(session, base, "Cache Patient")
        await request(session, stats, "pdf first", "GET", f"{base}/summary.pdf", {200})
        for _ in range(repeats):
            await request(session, stats, "pdf cached", "GET", f"{base}/summary.pdf", {200})
    return stats


async def pdf_requests(base, total, per_patient):
    """`total` PDF downloads, `per_patient` by each of total/per_patient finished patients (one
    render each, the rest from the cache), two at a time. Returns Stats."""
    base = check_local(base)
    stats = Stats()
    semaphore = asyncio.Semaphore(2)

    async def one(number):
        async with semaphore:
            async with aiohttp.TCPConnector(limit=1) as connector, new_session(connector) as s:
                await finished_patient(s, base, f"Memory Patient {number:04d}")
                done = 0
                while done < per_patient:
                    reply, _ = await request(
                        s, stats, "pdf", "GET", f"{base}/summary.pdf", {200, 503}
                    )
                    if reply.status == 503:  # every render slot busy: as a browser would, later
                        await asyncio.sleep(2)
                    else:
                        done += 1

    await asyncio.gather(*(one(n) for n in range(max(1, total // per_patient))))
    return stats
